import type { OperationsDocument } from './types.js';

// Declares the derived JSON so the compiler neither infers nor re-checks a 360 KB literal.
declare const document: OperationsDocument;
export = document;
