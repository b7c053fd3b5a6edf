/** The four roles of the board (DESIGN §1) and what each is for. */
export const ROLES = ['admin', 'curator', 'clinician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'accounts, the audit log, and everything the other roles do',
  curator: 'the evidence base: edits, imports, re-evaluation',
  clinician: 'cases, rankings, decisions and follow-up',
  viewer: 'the read-only board screen',
};

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}
