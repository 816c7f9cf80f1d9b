import type { SchemasDocument } from './types.js';

// Declares the derived JSON so the compiler neither infers nor re-checks a 540 KB literal.
declare const document: SchemasDocument;
export = document;
