/**
 * Fault 4: the audit log can only be appended to by the application.
 *
 * On a fresh database, `npm run db:roles` creates the application's role; connected as that
 * role, INSERT and SELECT on audit_events work and UPDATE, DELETE and TRUNCATE are refused, as
 * are the ways around it (dropping or disabling the trigger, ALTER TABLE), while an ordinary
 * table still takes INSERT, UPDATE and DELETE. Connected as the owner, the trigger still
 * refuses UPDATE and DELETE. `db:roles --check` fails on a wrong grant, and running db:roles
 * again repairs it. (The kill and outage tests run the whole server as this role.)
 */
import postgres from "postgres";
import { runScript } from "@/scripts/lib/run-script";
import type { FaultContext } from "./harness/context";
import { seedPayable } from "@/scripts/lib/ledger";
import { createDatabase, dropDatabase, withMigratedDatabase } from "@/scripts/lib/postgres";
import { Checks, type ScenarioResult } from "./harness/report";
import { applyAppRole } from "./harness/scripts";

type Attempt = { ok: boolean; code: string | null; message: string };

async function attempt(fn: () => Promise<unknown>): Promise<Attempt> {
  try {
    await fn();
    return { ok: true, code: null, message: "" };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { ok: false, code: e.code ?? null, message: e.message ?? String(err) };
  }
}

const refusedText = (a: Attempt) => (a.ok ? "ALLOWED" : `refused (${a.code}: ${a.message})`);

export async function auditAppendOnly(ctx: FaultContext): Promise<ScenarioResult> {
  const started = Date.now();
  const checks = new Checks();
  const dbName = "cumulus_faults_audit";
  const ownerUrl = await createDatabase(ctx.adminUrl, dbName);
  let app: postgres.Sql | null = null;
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await withMigratedDatabase(ownerUrl, (db) => seedPayable(db, 2));
    const { appUrl, output } = await applyAppRole(ownerUrl);
    ctx.log(`db:roles: ${output.trim().split("\n").join(" / ")}`);
    app = postgres(appUrl, { max: 1, onnotice: () => {} });
    const [account] = await owner<{ id: string }[]>`select id from accounts limit 1`;

    // As the application's role.
    const inserted = await attempt(() => app!`insert into audit_events (account_id, action, entity_type, entity_id, after)
      values (${account!.id}, 'test.appended', 'test', 'faults', ${app!.json({ n: 1 })})`);
    checks.check("as cumulus_app: INSERT into audit_events", inserted.ok, inserted.ok ? "allowed" : refusedText(inserted));
    const read = await attempt(() => app!`select count(*) from audit_events`);
    checks.check("as cumulus_app: SELECT from audit_events", read.ok, read.ok ? "allowed" : refusedText(read));
    const denied = async (label: string, fn: () => Promise<unknown>) => {
      const a = await attempt(fn);
      // 42501 insufficient_privilege; 42P01 cannot appear (the table exists).
      checks.check(`as cumulus_app: ${label}`, !a.ok && a.code === "42501", refusedText(a));
    };
    await denied("UPDATE audit_events", () => app!`update audit_events set action = 'test.rewritten' where action = 'test.appended'`);
    await denied("DELETE from audit_events", () => app!`delete from audit_events where action = 'test.appended'`);
    await denied("TRUNCATE audit_events", () => app!`truncate audit_events`);
    await denied("ALTER TABLE audit_events DISABLE TRIGGER", () => app!`alter table audit_events disable trigger audit_events_append_only`);
    await denied("DROP TRIGGER on audit_events", () => app!`drop trigger audit_events_append_only on audit_events`);
    await denied("CREATE TABLE in schema public", () => app!`create table audit_events_copy (id int)`);
    const phone = await attempt(async () => {
      const [row] = await app!<{ id: string }[]>`insert into contact_phones (account_id, phone, label) values (${account!.id}, '+46700000001', 'faults') returning id`;
      await app!`update contact_phones set label = 'faults 2' where id = ${row!.id}`;
      await app!`delete from contact_phones where id = ${row!.id}`;
    });
    checks.check("as cumulus_app: INSERT, UPDATE, DELETE on an ordinary table", phone.ok, phone.ok ? "allowed" : refusedText(phone));

    // As the owner: the trigger is the second line.
    for (const [label, fn] of [
      ["UPDATE", () => owner`update audit_events set action = 'test.rewritten' where action = 'test.appended'`],
      ["DELETE", () => owner`delete from audit_events where action = 'test.appended'`],
    ] as const) {
      const a = await attempt(fn);
      checks.check(`as the owner: ${label} refused by the trigger`, !a.ok && /append-only/.test(a.message), refusedText(a));
    }
    const [kept] = await owner<{ n: string }[]>`select count(*)::text as n from audit_events where action = 'test.appended'`;
    checks.equal("the appended row is still there, unchanged", Number(kept!.n), 1);

    // The check notices a wrong grant; running db:roles again repairs it.
    await owner`grant update, delete on audit_events to cumulus_app`;
    const broken = await runScript("scripts/db-roles.ts", ["--check"], { DATABASE_URL: ownerUrl });
    checks.check("db:roles --check fails on UPDATE/DELETE granted on audit_events", broken.code === 1, `exit ${broken.code}: ${broken.stderr.trim().split("\n").slice(1).join("; ")}`);
    await applyAppRole(ownerUrl);
    const fixed = await runScript("scripts/db-roles.ts", ["--check"], { DATABASE_URL: ownerUrl });
    checks.check("db:roles run again repairs it (--check passes)", fixed.code === 0, `exit ${fixed.code}`);

    const refused = checks.list.filter((c) => c.label.startsWith("as cumulus_app:") && c.detail.startsWith("refused")).length;
    return {
      name: "audit log append-only for the application's role",
      summary: `as cumulus_app: INSERT ${inserted.ok ? "works" : "FAILS"}, ${refused} ways to change or remove audit rows refused; as the owner the trigger refuses UPDATE and DELETE`,
      checks: checks.list,
      seconds: (Date.now() - started) / 1000,
      figures: { refused },
    };
  } finally {
    await app?.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
    if (!ctx.keep) await dropDatabase(ctx.adminUrl, dbName).catch(() => {});
  }
}
