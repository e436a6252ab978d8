"""Who may open what — the access matrix of SZJ, read by the city hall's security officer.

One entry per URL name. ``get`` lists the personas whose GET succeeds (with ``ok``, 200 unless
told: 302 where the page sends them on, 405 for POST-only views); everyone else signed in gets
``denied`` (403 unless told; 404 where the app hides the object) and anonymous visitors are sent
to the login page. ``post`` lists the personas allowed to POST (the same as ``get`` unless
told); every other persona's POST is refused and changes nothing. ``obj`` names the object of
the ``world`` fixture (tests/security/conftest.py) the URL is built with.

The personas (tests/conftest.py): prezydent, kierownictwo (Najwyższe Kierownictwo),
pelnomocnik (Pełnomocnik ds. SZJ), koordynator (Koordynator WOU), wlasciciel (owner of process
PG.3, its audit, card, objective and risk), wlasciciel2 (owner of another process), auditor
(lead auditor of the audit of PG.3), auditor2 (auditor of another audit), pracownik (an
employee; responsible for the card's action and proposer of the proposal), anonim.
"""

from dataclasses import dataclass

ANONIM = "anonim"
SIGNED_IN = frozenset(
    {
        "prezydent",
        "kierownictwo",
        "pelnomocnik",
        "koordynator",
        "wlasciciel",
        "wlasciciel2",
        "auditor",
        "auditor2",
        "pracownik",
    }
)
EVERYONE = SIGNED_IN | {ANONIM}
NOBODY: frozenset[str] = frozenset()
TOP = frozenset({"prezydent", "kierownictwo", "pelnomocnik"})  # Najwyższe Kierownictwo
PELNOMOCNIK = frozenset({"pelnomocnik"})
KOORDYNATOR = frozenset({"koordynator"})
PREZYDENT = frozenset({"prezydent"})
KEEPERS = frozenset({"pelnomocnik", "koordynator"})  # who keep the QMS registers
READERS = TOP | {"koordynator"}  # who read every QMS register
OWNER = frozenset({"wlasciciel"})
LEAD_AUDITOR = frozenset({"auditor"})


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    obj: str | None = None
    post: frozenset[str] | None = None
    ok: int = 200
    denied: int = 403
    note: str = ""

    @property
    def post_allowed(self) -> frozenset[str]:
        return self.get if self.post is None else self.post


def _(get: frozenset[str], obj: str | None = None, **kwargs) -> Rule:
    return Rule(frozenset(get), obj, **kwargs)


def post_only(post: frozenset[str], obj: str | None = None, note: str = "") -> Rule:
    """A POST-only view: every signed-in GET is 405."""
    return Rule(SIGNED_IN, obj, post=frozenset(post), ok=405, note=note)


MATRIX: dict[str, Rule] = {
    # --- the project: sign-in, dashboard, notifications ----------------------------------
    "dashboard": _(SIGNED_IN),
    "healthz": _(EVERYONE, note="says only which component failed"),
    "accessibility": _(EVERYONE, note="the deklaracja dostępności is public by law"),
    "login": _({ANONIM}, denied=302, post=EVERYONE, note="signed-in people are sent home"),
    "logout": Rule(EVERYONE, ok=405, post=EVERYONE, note="POST only"),
    "password_change": _(SIGNED_IN),
    "password_change_done": _(SIGNED_IN),
    "set_language": _(EVERYONE, ok=302, post=EVERYONE),
    "notifications": _(SIGNED_IN),
    # Anyone may POST; only the person's own notification is marked, another's silently
    # stays unread (test_matrix.test_marking_somebody_elses_notification_read_changes_nothing).
    "notification_read": post_only(SIGNED_IN, "notification"),
    "notifications_read_all": post_only(SIGNED_IN),
    "notification_settings": _(SIGNED_IN),
    "delivery_failures": _(PELNOMOCNIK),
    "delivery_retry": post_only(PELNOMOCNIK, "delivery"),
    # --- process register: everybody reads; keepers edit; the owner describes --------------
    "processes:list": _(SIGNED_IN),
    "processes:map": _(SIGNED_IN),
    "processes:export": _(SIGNED_IN, "csv"),
    "processes:detail": _(SIGNED_IN, "own_process"),
    "processes:create": _(KEEPERS),
    "processes:import": _(KEEPERS),
    "processes:edit": _(KEEPERS, "own_process"),
    "processes:describe": _(KEEPERS | OWNER, "own_process"),
    "processes:withdraw": _(KEEPERS, "own_process"),
    "processes:restore": _(KEEPERS, "own_process"),
    "processes:document_add": _(KEEPERS | OWNER, "own_process"),
    "processes:document_edit": _(KEEPERS | OWNER, "document"),
    "processes:document_download": _(SIGNED_IN, "document"),
    # --- auditor appointments: koordynator prepares, Prezydent appoints ----------------------
    "audits:auditor_lists": _(READERS),
    "audits:auditor_list": _(READERS, "auditor_list"),
    "audits:auditor_list_create": _(KOORDYNATOR),
    "audits:candidate_add": _(KOORDYNATOR, "auditor_list"),
    "audits:candidate_edit": _(KOORDYNATOR, "candidate"),
    "audits:auditor_list_transition": _(PREZYDENT, "auditor_list/powolaj"),
    # --- annual audit plans: everybody reads; koordynator prepares -------------------------
    "audits:plans": _(SIGNED_IN),
    "audits:plan": _(SIGNED_IN, "plan"),
    "audits:plan_pdf": _(SIGNED_IN, "plan"),
    "audits:plan_create": _(KOORDYNATOR),
    # The plan is approved: the koordynator is sent back to it (entries change by revision).
    "audits:entry_add": _(KOORDYNATOR, "plan", ok=302),
    "audits:entry_edit": _(KOORDYNATOR, "entry", ok=302),
    "audits:entry_remove": _(KOORDYNATOR, "entry"),
    "audits:audits_create": post_only(KOORDYNATOR, "plan"),
    "audits:coverage": _(READERS),
    "audits:plan_prefill": post_only(KOORDYNATOR, "plan"),
    "audits:plan_transition": _(KOORDYNATOR, "plan/zmiana"),
    # --- audits: readers, the audited owner and the audit's team; only the team writes ------
    "audits:list": _(SIGNED_IN, note="filtered to what the person may see"),
    "audits:detail": _(READERS | OWNER | LEAD_AUDITOR, "audit"),
    "audits:report_pdf": _(READERS | OWNER | LEAD_AUDITOR, "audit"),
    "audits:edit": _(LEAD_AUDITOR, "audit"),
    "audits:checklist_add": _(LEAD_AUDITOR, "audit"),
    "audits:checklist_copy": post_only(LEAD_AUDITOR, "audit"),
    "audits:checklist_edit": _(LEAD_AUDITOR, "checklist_item"),
    "audits:finding_add": _(LEAD_AUDITOR, "audit"),
    "audits:finding_edit": _(LEAD_AUDITOR, "finding"),
    "audits:finding_withdraw": _(LEAD_AUDITOR, "finding"),
    "audits:transition": _(LEAD_AUDITOR, "audit/rozpocznij"),
    "audits:calendar": _(SIGNED_IN),
    "audits:calendar_reset": post_only(SIGNED_IN),
    # Token-authenticated: the secret in the address is the credential, not the session
    # (wrong or old tokens: test_matrix.test_calendar_feed_*).
    "audits:calendar_feed": _(EVERYONE, "calendar_token"),
    # --- nonconformities: readers, the process owner, the raiser and the responsible person --
    "nonconformities:list": _(SIGNED_IN, note="filtered to what the person may see"),
    "nonconformities:export": _(SIGNED_IN, "csv", note="filtered like the list"),
    "nonconformities:my_actions": _(SIGNED_IN),
    "nonconformities:create": _(KEEPERS | OWNER | {"wlasciciel2"}, note="process owners raise"),
    # The finding already has its card: those who may raise are sent to it.
    "nonconformities:create_from_finding": _(KEEPERS | LEAD_AUDITOR, "finding", ok=302),
    "nonconformities:detail": _(READERS | OWNER | LEAD_AUDITOR | {"pracownik"}, "card"),
    "nonconformities:pdf": _(READERS | OWNER | LEAD_AUDITOR | {"pracownik"}, "card"),
    "nonconformities:evidence": _(READERS | OWNER | LEAD_AUDITOR | {"pracownik"}, "evidence"),
    # In analysis the card itself is no longer edited, and not yet verified.
    "nonconformities:edit": _(NOBODY, "card"),
    "nonconformities:verify": _(NOBODY, "card"),
    "nonconformities:analysis": _(KEEPERS | OWNER, "card"),
    "nonconformities:action_add": _(KEEPERS | OWNER, "card"),
    "nonconformities:plan": _(KEEPERS | OWNER, "card"),
    "nonconformities:cancel": _(KEEPERS, "card"),
    "nonconformities:action_edit": _(KEEPERS | OWNER, "action"),
    "nonconformities:action_extend": _(KEEPERS | OWNER, "action"),
    # The plan of actions is not approved yet: the responsible person cannot start or finish.
    "nonconformities:action_start": _(NOBODY, "action"),
    "nonconformities:action_complete": _(NOBODY, "action"),
    # --- quality policy: everybody reads the one in force; pelnomocnik drafts ----------------
    "reviews:policy": _(SIGNED_IN),
    "reviews:policy_versions": _(TOP),
    "reviews:policy_version": _(TOP, "policy"),
    # A draft exists: the pelnomocnik is sent to it.
    "reviews:policy_create": _(PELNOMOCNIK, ok=302),
    "reviews:policy_edit": _(PELNOMOCNIK, "policy"),
    "reviews:policy_approve": _(PREZYDENT, "policy"),
    # --- context of the organisation: readers read; keepers keep ----------------------------
    "reviews:context": _(READERS),
    "reviews:context_issue": _(READERS, "issue"),
    "reviews:context_issue_create": _(KEEPERS),
    "reviews:context_issue_edit": _(KEEPERS, "issue"),
    "reviews:context_issue_review": _(KEEPERS, "issue"),
    "reviews:context_issue_retire": _(KEEPERS, "issue"),
    "reviews:context_party": _(READERS, "party"),
    "reviews:context_party_create": _(KEEPERS),
    "reviews:context_party_edit": _(KEEPERS, "party"),
    "reviews:context_party_review": _(KEEPERS, "party"),
    "reviews:context_party_retire": _(KEEPERS, "party"),
    # --- improvement proposals: anyone proposes; readers and the proposer read; only the
    # Zespół ds. Rozwoju SZJ assesses (no persona here is in it) ----------------------------
    "reviews:proposals": _(SIGNED_IN),
    "reviews:proposal_create": _(SIGNED_IN),
    "reviews:proposal": _(READERS | {"pracownik"}, "proposal"),
    "reviews:proposal_accept": _(NOBODY, "proposal"),
    "reviews:proposal_reject": _(NOBODY, "proposal"),
    "reviews:proposal_complete": _(NOBODY, "proposal"),
    # --- quality objectives: readers and the owner; setters set; the owner measures ---------
    "reviews:objectives": _(READERS | OWNER),
    "reviews:objective": _(READERS | OWNER, "objective"),
    "reviews:objective_create": _({"prezydent", "pelnomocnik", "koordynator"}),
    "reviews:objective_edit": _({"prezydent", "pelnomocnik", "koordynator"}, "objective"),
    "reviews:objective_withdraw": _({"prezydent", "pelnomocnik", "koordynator"}, "objective"),
    "reviews:measurement_add": _(KEEPERS | OWNER, "objective"),
    "reviews:measurement_edit": _(KEEPERS | OWNER, "measurement"),
    "reviews:objectives_report": _(READERS, "objective_year"),
    "reviews:objectives_report_pdf": _(READERS, "objective_year"),
    # --- risks and opportunities: everybody sees the register; readers and the owner open a
    # risk; keepers keep; the owner assesses ---------------------------------------------
    "reviews:risks": _(SIGNED_IN, note="filtered to what the person may see"),
    "reviews:risk_matrix": _(SIGNED_IN, note="filtered like the list"),
    "reviews:risk": _(READERS | OWNER, "risk"),
    "reviews:risk_create": _(KEEPERS),
    "reviews:risk_edit": _(KEEPERS, "risk"),
    "reviews:risk_assess": _(KEEPERS | OWNER, "risk"),
    "reviews:risk_close": _(KEEPERS, "risk"),
    "reviews:risk_reopen": _(KEEPERS, "risk"),
    # --- customer feedback (complaints, surveys): readers read; keepers record -------------
    "reviews:feedback_list": _(READERS),
    "reviews:feedback": _(READERS, "feedback"),
    "reviews:feedback_create": _(KEEPERS),
    "reviews:feedback_survey_create": _(KEEPERS),
    "reviews:feedback_edit": _(KEEPERS, "feedback"),
    "reviews:feedback_raise_card": _(KEEPERS, "feedback"),
    # --- management review: top management reads; the pelnomocnik prepares; the review is a
    # draft, so it cannot be approved nor its decisions completed yet ------------------------
    "reviews:review_list": _(TOP),
    "reviews:review_detail": _(TOP, "review"),
    "reviews:review_minutes": _(TOP, "review"),
    "reviews:review_create": _(PELNOMOCNIK),
    "reviews:review_edit": _(PELNOMOCNIK, "review"),
    "reviews:review_hold": _(PELNOMOCNIK, "review"),
    "reviews:review_approve": _(NOBODY, "review"),
    "reviews:decision_add": _(PELNOMOCNIK, "review"),
    "reviews:decision_edit": _(PELNOMOCNIK, "decision"),
    "reviews:decision_complete": _(NOBODY, "decision"),
}

# Objects that belong to somebody else (IDOR): (url name, world object, persona, answer).
OTHERS_OBJECTS: list[tuple[str, str, str, int]] = [
    ("processes:describe", "other_process", "wlasciciel", 403),
    ("processes:document_add", "other_process", "wlasciciel", 403),
    ("processes:document_edit", "other_document", "wlasciciel", 403),
    ("audits:detail", "other_audit", "auditor", 403),
    ("audits:report_pdf", "other_audit", "auditor", 403),
    ("audits:detail", "other_audit", "wlasciciel", 403),
    ("audits:edit", "other_audit", "auditor", 403),
    ("audits:edit", "other_audit", "auditor2", 200),
    ("audits:finding_add", "other_audit", "auditor", 403),
    ("audits:finding_edit", "other_finding", "auditor", 403),
    ("audits:finding_edit", "other_finding", "auditor2", 200),
    ("nonconformities:detail", "card", "wlasciciel2", 403),
    ("nonconformities:evidence", "evidence", "wlasciciel2", 403),
    ("nonconformities:pdf", "card", "auditor2", 403),
]

# The admin is Django's own and reachable only by staff (tests/qms/test_admin_and_auth.py).
EXCLUDED_NAMESPACES = {"admin"}
