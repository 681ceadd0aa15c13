/**
 * `npm run db:roles [-- --role cumulus_app] [--check]`: the application's own PostgreSQL login
 * role, which may read and write the application's tables but may only append to the audit log.
 *
 * Run it as the role that owns the tables (the one `npm run db:migrate` runs as), after every
 * migration, then give the server the application's role:
 *
 *   DATABASE_URL=postgres://owner@db/cumulus npm run db:migrate
 *   CUMULUS_APP_PASSWORD=… DATABASE_URL=postgres://owner@db/cumulus npm run db:roles
 *   DATABASE_URL=postgres://cumulus_app:…@db/cumulus npm start
 *
 * What the role gets (and nothing else; run again, it converges):
 * - LOGIN, no superuser, CREATEDB, CREATEROLE or BYPASSRLS; CONNECT on the database, USAGE on
 *   schema public;
 * - SELECT, INSERT, UPDATE, DELETE on every table of schema public, except audit_events:
 *   INSERT and SELECT only; TRUNCATE on none; USAGE and SELECT on the sequences.
 * The audit log's trigger (migration 0003) refuses UPDATE and DELETE even to the owner.
 * CUMULUS_APP_PASSWORD (ASCII) sets the role's password, sent as a SCRAM-SHA-256 verifier so the
 * password itself never reaches the server's logs; without it the role has none (local trust or
 * peer authentication only). --check changes nothing and exits 1 when the grants are not as above.
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { env } from "@/lib/env";
import { plural } from "@/lib/plural";
import { runCli } from "./lib/run-cli";

const APPEND_ONLY = "audit_events";
const TRIGGER = "audit_events_append_only";

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** PostgreSQL's SCRAM-SHA-256 verifier of a password (what `ALTER ROLE … PASSWORD` stores). */
function scramVerifier(password: string, iterations = 4096): string {
  const salt = crypto.randomBytes(16);
  const salted = crypto.pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = crypto.createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = crypto.createHash("sha256").update(clientKey).digest();
  const serverKey = crypto.createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

type TablePrivileges = { table: string; select: boolean; insert: boolean; update: boolean; delete: boolean; truncate: boolean };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      role: { type: "string", default: "cumulus_app" },
      check: { type: "boolean", default: false },
    },
  });
  const role = values.role;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`--role must be a lower-case PostgreSQL name, not "${role}"`);
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: db:roles configures a PostgreSQL server (the embedded database has no roles).");
  const password = env().CUMULUS_APP_PASSWORD;
  if (password !== undefined && !/^[\x21-\x7e]{16,}$/.test(password)) {
    throw new Error("CUMULUS_APP_PASSWORD must be at least 16 printable ASCII characters (e.g. openssl rand -base64 32).");
  }

  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [me] = await sql<{ user: string; db: string }[]>`select current_user as user, current_database() as db`;
    if (me!.user === role) throw new Error(`Connected as ${role} itself: run db:roles as the owner of the tables (the role of db:migrate).`);
    const [trigger] = await sql`select 1 from pg_trigger where tgname = ${TRIGGER} and tgrelid = to_regclass(${`public.${APPEND_ONLY}`})`;
    if (!trigger) throw new Error(`The ${APPEND_ONLY} trigger is missing: run npm run db:migrate first.`);

    if (!values.check) await applyRole(sql, role, me!.db, password);
    const verified = await verifyRole(sql, role, me!.db);
    if (!verified) {
      console.error(`The role ${role} does not exist (run npm run db:roles without --check).`);
      return 1;
    }
    const { problems, createInPublic } = verified;
    if (createInPublic) console.log(`Note: ${role} may CREATE in schema public (granted to PUBLIC before PostgreSQL 15); REVOKE CREATE ON SCHEMA public FROM PUBLIC closes it.`);
    if (problems.length) {
      console.error(`Not as it should be:\n  ${problems.join("\n  ")}`);
      return 1;
    }
    if (!values.check) console.log(`Run the server with DATABASE_URL=postgres://${role}:…@…/${me!.db}; keep the owner's URL for db:migrate and db:roles.`);
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates the role, or brings it back in line: login, no powers, the application's grants. */
async function applyRole(sql: postgres.Sql, role: string, database: string, password: string | undefined): Promise<void> {
  const [existing] = await sql<{ rolsuper: boolean; rolbypassrls: boolean }[]>`
    select rolsuper, rolbypassrls from pg_roles where rolname = ${role}`;
  if (!existing) {
    await sql.unsafe(`create role ${ident(role)} login nosuperuser nocreatedb nocreaterole nobypassrls`);
    console.log(`Created the login role ${role}.`);
  } else {
    // A superuser (or BYPASSRLS) ignores every grant below: refuse rather than pretend.
    if (existing.rolsuper) throw new Error(`${role} is a superuser: privileges do not bind it. Use another role name.`);
    await sql.unsafe(`alter role ${ident(role)} login nocreatedb nocreaterole nobypassrls`);
  }
  if (password !== undefined) {
    await sql.unsafe(`alter role ${ident(role)} password '${scramVerifier(password)}'`);
    console.log(`Set ${role}'s password (from CUMULUS_APP_PASSWORD).`);
  }
  await sql.begin(async (tx) => {
    await tx.unsafe(`grant connect on database ${ident(database)} to ${ident(role)}`);
    await tx.unsafe(`grant usage on schema public to ${ident(role)}`);
    await tx.unsafe(`revoke all on all tables in schema public from ${ident(role)}`);
    await tx.unsafe(`grant select, insert, update, delete on all tables in schema public to ${ident(role)}`);
    await tx.unsafe(`revoke update, delete, truncate on table public.${ident(APPEND_ONLY)} from ${ident(role)}`);
    await tx.unsafe(`revoke all on all sequences in schema public from ${ident(role)}`);
    await tx.unsafe(`grant usage, select on all sequences in schema public to ${ident(role)}`);
  });
}

/** What the role can do now, whatever ran before: its privileges printed, and what is not as it should be (null: no such role). */
async function verifyRole(sql: postgres.Sql, role: string, database: string): Promise<{ problems: string[]; createInPublic: boolean } | null> {
  const [r] = await sql<{ exists: boolean; login: boolean; super: boolean; bypass: boolean; owns: string; createInPublic: boolean }[]>`
    select true as exists, rolcanlogin as login, rolsuper as super, rolbypassrls as bypass,
           (select count(*) from pg_class c where c.relowner = r.oid)::text as owns,
           has_schema_privilege(r.rolname, 'public', 'CREATE') as "createInPublic"
    from pg_roles r where r.rolname = ${role}`;
  if (!r) return null;
  const tables = await sql<TablePrivileges[]>`
    select c.relname as table,
           has_table_privilege(${role}, c.oid, 'SELECT') as select,
           has_table_privilege(${role}, c.oid, 'INSERT') as insert,
           has_table_privilege(${role}, c.oid, 'UPDATE') as update,
           has_table_privilege(${role}, c.oid, 'DELETE') as delete,
           has_table_privilege(${role}, c.oid, 'TRUNCATE') as truncate
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`;
  const problems: string[] = [];
  if (!r.login) problems.push(`${role} cannot log in`);
  if (r.super || r.bypass) problems.push(`${role} is a superuser or bypasses row security: grants do not bind it`);
  if (r.owns !== "0") problems.push(`${role} owns ${plural(Number(r.owns), { one: "# relation", other: "# relations" })}: an owner can change or drop them`);
  for (const t of tables) {
    const want = t.table === APPEND_ONLY ? { select: true, insert: true, update: false, delete: false } : { select: true, insert: true, update: true, delete: true };
    for (const p of ["select", "insert", "update", "delete"] as const) {
      if (t[p] !== want[p]) problems.push(`${t.table}: ${p.toUpperCase()} is ${t[p] ? "granted" : "missing"}`);
    }
    if (t.truncate) problems.push(`${t.table}: TRUNCATE is granted`);
  }
  const audit = tables.find((t) => t.table === APPEND_ONLY);
  console.log(
    `${role} on ${database}: ${tables.length - (audit ? 1 : 0)} tables with SELECT, INSERT, UPDATE, DELETE; ` +
      `${APPEND_ONLY}: ${audit ? ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"].filter((p) => audit[p.toLowerCase() as keyof TablePrivileges] === true).join(", ") : "missing"}` +
      `; the trigger ${TRIGGER} is in place.`,
  );
  return { problems, createInPublic: r.createInPublic };
}

runCli(main);
