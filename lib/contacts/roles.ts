/** The contact roles, their names and what each receives: shared by the rules and the Contact tab (no server code here). */
export const ROLES = ["billing", "tech", "dpo"] as const;
export type Role = (typeof ROLES)[number];
export type Roles = Record<Role, boolean>;

export const ROLE_LABEL: Record<Role, string> = { billing: "Billing", tech: "Tech", dpo: "DPO" };
export const ROLE_DESCRIPTION: Record<Role, string> = {
  billing: "Receives invoice emails with the PDF attached, and payment reminders.",
  tech: "Receives technical and maintenance notices.",
  dpo: "Receives data-protection notices.",
};
