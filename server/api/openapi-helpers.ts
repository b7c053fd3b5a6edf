/** Small builders shared by the OpenAPI path modules (openapi-auth.ts, cases/openapi.ts, auth/oidc-openapi.ts). */
import { z } from 'zod';

/** A zod schema as JSON Schema, as the request (`input`) or the answer (`output`) sees it. */
export const toSchema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });
export const ok = (description: string, schema: unknown, status = '200') => ({ [status]: { description, content: json(schema) } });
export const err = (status: string, description: string) => ({ [status]: { description, content: json(ref('Error')) } });
export const body = (name: string) => ({ required: true, content: json(ref(name)) });
