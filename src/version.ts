import pkg from '../package.json' with { type: 'json' };

/** The package version, compiled in so that no file needs to be found at run time. */
export const VERSION: string = pkg.version;
