"""What each of the clinic's three groups may touch, enforced by the PostgreSQL server itself.

Every login is a member of one group role (`practice.store.staff`):

* `fascia_owner`: everything (settings, reports, users' records, every client's notes).
* `fascia_practitioner`: everything but the logins table, and, by row-level security, only the
  clinical records of the clients whose care team they are on (or that have no team yet).
* Care teams: a practitioner adds a colleague to (or takes one off) the team of a client whose
  clinical records they see, never of another's client; the front desk reads the teams only.
* `fascia_front_desk`: the schedule, billing and clients' contact details; no clinical table
  at all (notes, treatment log, amendments, body charts, intake, measures, plans, issued
  documents), and of a visit only its scheduling and signing columns, not what was
  acknowledged at signing. Of the audit trail (whose entries quote what changed) it reads
  only the entries about non-clinical records.

The server refuses the rest to any program, not only to Fascia's screens: a front desk login
in psql gets "permission denied for table soap_note". The database's owner (the administrator
who ran `server init`) keeps every right and runs the migrations. `apply` is idempotent: the
migration that brought logins runs it, and a migration adding a table runs it again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

GROUPS = {
    "owner": "fascia_owner",
    "practitioner": "fascia_practitioner",
    "front_desk": "fascia_front_desk",
}
# Clinical tables and how a row finds its client (for the practitioners' care-team policy).
CLINICAL = {
    "intake": "fascia_sees_client(client_id)",
    "body_chart": "fascia_sees_client(client_id)",
    "measure_value": "fascia_sees_client(client_id)",
    "headache_entry": "fascia_sees_client(client_id)",
    "treatment_plan": "fascia_sees_client(client_id)",
    "issued_document": "fascia_sees_client(client_id)",
    "soap_note": "fascia_sees_visit(visit_id)",
    "treatment_entry": "fascia_sees_visit(visit_id)",
    "amendment": "fascia_sees_visit(visit_id)",
    "plan_diagnosis": "fascia_sees_plan(plan_id)",
    "plan_goal": "fascia_sees_plan(plan_id)",
    "planned_technique": "fascia_sees_plan(plan_id)",
    "plan_precaution": "fascia_sees_plan(plan_id)",
    "plan_acknowledgement": "fascia_sees_planned(planned_technique_id)",
}
# The audit entries about clinical records (their `entity`), which quote what changed.
CLINICAL_ENTITIES = frozenset(CLINICAL) | {"visit"}
# A visit's clinical column: what the therapist acknowledged when signing (alerts, consent).
VISIT_CLINICAL_COLUMNS = ("signing_acknowledgements",)
LOGINS = "clinic_user"
CARE_TEAM = "care_team"
CARE_TEAM_POLICIES = ("fascia_owner", "fascia_reads", "fascia_adds", "fascia_removes")

# SECURITY DEFINER: they read the care team and the logins with the definer's rights (those
# tables are not readable row by row to everyone), and `session_user` is the person signed in.
_FUNCTIONS = """
CREATE OR REPLACE FUNCTION fascia_practitioner() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT practitioner_id FROM clinic_user WHERE login = session_user $f$;
--
CREATE OR REPLACE FUNCTION fascia_sees_client(c integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT NOT EXISTS (SELECT 1 FROM care_team WHERE client_id = c)
      OR EXISTS (SELECT 1 FROM care_team WHERE client_id = c
                 AND practitioner_id = fascia_practitioner()) $f$;
--
CREATE OR REPLACE FUNCTION fascia_sees_visit(v integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT fascia_sees_client((SELECT client_id FROM visit WHERE id = v)) $f$;
--
CREATE OR REPLACE FUNCTION fascia_sees_plan(p integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT fascia_sees_client((SELECT client_id FROM treatment_plan WHERE id = p)) $f$;
--
CREATE OR REPLACE FUNCTION fascia_sees_planned(t integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $f$
  SELECT fascia_sees_plan((SELECT plan_id FROM planned_technique WHERE id = t)) $f$;
--
CREATE OR REPLACE FUNCTION fascia_join_care_team() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $f$
BEGIN
  IF fascia_practitioner() IS NOT NULL THEN
    INSERT INTO care_team (client_id, practitioner_id, added_at)
    VALUES (NEW.id, fascia_practitioner(), now() AT TIME ZONE 'utc') ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END $f$;
--
DROP TRIGGER IF EXISTS fascia_join_care_team ON client;
--
CREATE TRIGGER fascia_join_care_team AFTER INSERT ON client
  FOR EACH ROW EXECUTE FUNCTION fascia_join_care_team();
"""


def groups_sql() -> list[str]:
    """The three group roles (made when missing) and the database closed to everyone else."""
    statements = []
    for group in GROUPS.values():
        statements.append(
            "DO $g$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"'{group}') THEN CREATE ROLE {group} NOLOGIN; END IF; END $g$"
        )
    statements.append(
        "DO $g$ BEGIN EXECUTE 'REVOKE CONNECT ON DATABASE ' || "
        "quote_ident(current_database()) || ' FROM PUBLIC'; END $g$"
    )
    return statements


def _privileges_sql(tables: list[str], visit_columns: list[str]) -> list[str]:
    owner, practitioner, desk = GROUPS["owner"], GROUPS["practitioner"], GROUPS["front_desk"]
    everyone = f"{owner}, {practitioner}, {desk}"
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}",
        f"GRANT USAGE ON SCHEMA public TO {everyone}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}",
        f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {owner}, {practitioner}",
        f"REVOKE INSERT, UPDATE, DELETE ON {LOGINS} FROM {practitioner}",
    ]
    for table in tables:
        if table in CLINICAL or table in ("visit", "audit_entry"):
            continue
        statements.append(f"GRANT ALL ON {table} TO {desk}")
    statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {LOGINS} FROM {desk}")
    statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {CARE_TEAM} FROM {desk}")
    statements.append(f"GRANT INSERT, SELECT ON audit_entry TO {desk}")
    columns = ", ".join(c for c in visit_columns if c not in VISIT_CLINICAL_COLUMNS)
    statements.append(
        f"GRANT SELECT ({columns}), INSERT ({columns}), UPDATE ({columns}) ON visit TO {desk}"
    )
    return statements


def _policies_sql() -> list[str]:
    owner, practitioner = GROUPS["owner"], GROUPS["practitioner"]
    statements = []
    for table, sees in CLINICAL.items():
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS fascia_owner ON {table}",
            f"CREATE POLICY fascia_owner ON {table} TO {owner} USING (true) WITH CHECK (true)",
            f"DROP POLICY IF EXISTS fascia_care_team ON {table}",
            f"CREATE POLICY fascia_care_team ON {table} TO {practitioner} "
            f"USING ({sees}) WITH CHECK ({sees})",
        ]
    return statements + _audit_policies_sql() + _care_team_policies_sql()


def _care_team_policies_sql() -> list[str]:
    """Everyone reads the teams; a practitioner changes only the team of a client they see
    (the check runs before the new row exists; `fascia_join_care_team` is the definer's)."""
    owner, practitioner, desk = GROUPS["owner"], GROUPS["practitioner"], GROUPS["front_desk"]
    sees = "fascia_sees_client(client_id)"
    policies = {
        "fascia_owner": f"FOR ALL TO {owner} USING (true) WITH CHECK (true)",
        "fascia_reads": f"FOR SELECT TO {practitioner}, {desk} USING (true)",
        "fascia_adds": f"FOR INSERT TO {practitioner} WITH CHECK ({sees})",
        "fascia_removes": f"FOR DELETE TO {practitioner} USING ({sees})",
    }
    statements = [f"ALTER TABLE {CARE_TEAM} ENABLE ROW LEVEL SECURITY"]
    for name, policy in policies.items():
        statements += [
            f"DROP POLICY IF EXISTS {name} ON {CARE_TEAM}",
            f"CREATE POLICY {name} ON {CARE_TEAM} {policy}",
        ]
    return statements


def _audit_policies_sql() -> list[str]:
    """The audit trail quotes what changed: each group reads the entries about what it may
    read (and must, to seal the entries it writes), and adds entries freely."""
    desk_reads = f"entity NOT IN ({', '.join(repr(e) for e in sorted(CLINICAL_ENTITIES))})"
    policies = {
        GROUPS["owner"]: "true",
        GROUPS["practitioner"]: "client_id IS NULL OR fascia_sees_client(client_id)",
        GROUPS["front_desk"]: desk_reads,
    }
    statements = ["ALTER TABLE audit_entry ENABLE ROW LEVEL SECURITY"]
    for group, reads in policies.items():
        statements += [
            f"DROP POLICY IF EXISTS {group}_reads ON audit_entry",
            f"CREATE POLICY {group}_reads ON audit_entry FOR SELECT TO {group} USING ({reads})",
            f"DROP POLICY IF EXISTS {group}_adds ON audit_entry",
            f"CREATE POLICY {group}_adds ON audit_entry FOR INSERT TO {group} WITH CHECK (true)",
        ]
    return statements


def apply(bind: Any) -> None:
    """Create the groups and (re)grant every table of the schema to them (PostgreSQL only)."""
    tables = [
        row[0]
        for row in bind.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        )
    ]
    visit_columns = [
        row[0]
        for row in bind.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = 'visit' ORDER BY ordinal_position"
            )
        )
    ]
    functions = [part.strip() for part in _FUNCTIONS.split("\n--\n") if part.strip()]
    statements = groups_sql() + functions
    statements += _privileges_sql(tables, visit_columns) + _policies_sql()
    for statement in statements:
        bind.exec_driver_sql(statement)


def role_exists(session: Any, login: str) -> bool:
    found = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login})
    return found.first() is not None


def create_login(session: Any, login: str, role: str, password: str) -> None:
    """A LOGIN role in the role's group, allowed to connect to this practice's database only.
    (`login` is checked by `staff.check_login`; the password goes as a quoted literal and the
    server stores its SCRAM hash.)"""
    from psycopg import sql

    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        # An owner backs the practice up, which checks each dump in a scratch database of
        # its own (`backups.dump`): CREATEDB, which reads nobody else's database.
        cursor.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}{}").format(
                sql.Identifier(login), sql.Literal(password), sql.Identifier(GROUPS[role]),
                sql.SQL(" CREATEDB" if role == "owner" else ""),
            )
        )  # fmt: skip
        database = cursor.execute("SELECT current_database()").fetchone()[0]
        cursor.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(login)
            )
        )
