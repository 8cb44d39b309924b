// The admin API's shapes the dashboard uses, from the generated schema (never written by hand).
import type { components } from '../api/schema';

type Schemas = components['schemas'];

/** `GET`/`POST /api/v1/admin/session`. */
export type SessionInfo = Schemas['SessionInfo'];
/** `GET /api/v1/admin/events`. */
export type AdminEventList = Schemas['AdminEventList'];
/** `GET /api/v1/admin/events/{id}/history`. */
export type History = Schemas['History'];
export type MinuteSample = Schemas['MinuteSample'];
/** `GET /api/v1/admin/audit`. */
export type AuditLog = Schemas['AuditLog'];
export type AuditEntry = Schemas['AuditEntry'];
/** The body of `PUT /api/v1/admin/events/{id}`. */
export type ConfigBody = Schemas['ConfigBody'];
