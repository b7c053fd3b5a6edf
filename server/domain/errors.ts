/**
 * Typed errors shared by every layer. Each carries a stable `code`, a message
 * that starts with the module that raised it, and optional `details` (field
 * paths, line numbers) that the API and CLI show to the user unchanged.
 */

export interface ErrorDetail {
  /** Where the problem is: a JSON path (`alterations.0.gene`), a file and line (`EGFR.yaml:12`), ... */
  path?: string;
  line?: number;
  message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetail[];
  constructor(code: string, message: string, status = 500, details: ErrorDetail[] = []) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** The caller sent something we cannot read: bad JSON, unknown kind, missing field. */
export class InvalidInputError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('invalid_input', message, 400, details);
  }
}

/** A named thing does not exist (case, tumour type, knowledge-base item). */
export class NotFoundError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('not_found', message, 404, details);
  }
}

/** The request is well-formed but not allowed in the current state. */
export class ConflictError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('conflict', message, 409, details);
  }
}

/** The knowledge base on disk is invalid: file, item and field are in `details`. */
export class KnowledgeBaseError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('invalid_knowledge_base', message, 500, details);
  }
}

/** Turn zod issues into our details: one entry per issue, with its dotted path. */
export function zodDetails(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = '',
): ErrorDetail[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    return { path: path || '(root)', message: issue.message };
  });
}

export function formatDetails(details: ErrorDetail[]): string {
  return details
    .map((d) => {
      const where = [d.path, d.line !== undefined ? `line ${d.line}` : undefined].filter(Boolean).join(', ');
      return where ? `${where}: ${d.message}` : d.message;
    })
    .join('\n');
}
