/**
 * The one error handler: typed AppErrors map to their status, body-parser
 * failures to 400/413, anything else to 500 without internals. Bodies are
 * always `{"error": {"code", "message", "details"}}`.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../domain/errors.ts';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `api: no route ${req.method} ${req.path}`, details: [] } });
};

export function errorHandler(log: (msg: string) => void = (m) => console.error(m)): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    // Answered already (a deadline passed): nothing more can be sent.
    if (res.headersSent) {
      if (!(err instanceof AppError)) log(`api: error after the answer was sent: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (err instanceof AppError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    const e = err as BodyParserError;
    if (e && typeof e === 'object' && e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: `api: the body is not valid JSON: ${e.message}`, details: [] } });
      return;
    }
    if (e && typeof e === 'object' && e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'too_large', message: 'api: the body is larger than the limit', details: [] } });
      return;
    }
    // Express's router answers a path it cannot decode (`/api/cases/%E0%A4%A`) with a URIError of status 400, unexposed.
    if (err instanceof URIError && (e as { status?: number }).status === 400) {
      res.status(400).json({ error: { code: 'bad_request', message: 'api: the path is not valid percent-encoding (UTF-8): encode it with encodeURIComponent', details: [] } });
      return;
    }
    if (e && typeof e === 'object' && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      res.status(e.status).json({ error: { code: 'bad_request', message: `api: ${e.message}`, details: [] } });
      return;
    }
    log(`api: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    res.status(500).json({ error: { code: 'internal', message: 'api: internal error; the server log has details', details: [] } });
  };
}
