"""Phrase banks for demo data (used by cases/demo.py and `manage.py seed_demo`).

Every Markdown template here uses `{name}` placeholders filled with plain words
(no Markdown or HTML specials), so a template can be rendered once and the HTML
filled in afterwards: see cases/demo.py `_Renderer`. No braces other than
placeholders may appear in the texts.
"""

# name -> (agents, organizations, roles, constraint)
DOMAINS = {
    "Healthcare": (
        [
            "clinical note summarization agents",
            "prior-authorization agents",
            "patient triage assistants",
            "discharge-letter drafting agents",
        ],
        [
            "Riverside Regional Health",
            "Northgate Clinics",
            "St. Alder Hospital Group",
            "Meridian Care Network",
            "Lakeshore Pediatrics",
            "Hillcrest Community Hospital",
        ],
        ["SRE lead", "clinical informatics engineer", "platform engineer", "CMIO"],
        "every output touching a patient record needed a named clinician to sign it off",
    ),
    "Finance": (
        [
            "fraud triage agents",
            "payment reconciliation agents",
            "KYC document review agents",
            "customer dispute agents",
        ],
        [
            "Harbor Mutual Bank",
            "Crestline Payments",
            "Oakfield Credit Union",
            "Blue Ledger Capital",
            "Summit Trust",
        ],
        ["head of reliability", "risk engineer", "staff engineer", "operations manager"],
        "regulators expected an audit trail for every automated decision",
    ),
    "Education": (
        [
            "grading feedback agents",
            "course scheduling agents",
            "student support assistants",
            "curriculum mapping agents",
        ],
        [
            "Westbrook University",
            "Pine Valley School District",
            "Open Campus Online",
            "Granite State College",
        ],
        ["learning platform lead", "IT director", "software engineer"],
        "student data could not leave the district's own cloud tenancy",
    ),
    "Federal infrastructure": (
        [
            "permit review agents",
            "grant eligibility agents",
            "records request agents",
            "infrastructure inspection agents",
        ],
        [
            "Bureau of Regional Transport",
            "Office of Grid Modernization",
            "National Records Service",
            "Federal Waterways Authority",
        ],
        ["program engineer", "chief architect", "security engineer"],
        "every system had to hold an authority to operate before going live",
    ),
    "Platform engineering": (
        [
            "incident response agents",
            "pull request review agents",
            "infrastructure drift agents",
            "on-call summarization agents",
        ],
        [
            "Cobalt Cloud",
            "Stackline",
            "Orbitware",
            "Keel Systems",
            "Lattice Labs",
            "Northwind Dev Tools",
        ],
        ["platform lead", "SRE manager", "principal engineer", "developer experience lead"],
        "the agents had write access to production infrastructure",
    ),
    "Retail": (
        [
            "catalogue enrichment agents",
            "returns handling agents",
            "inventory forecasting agents",
            "customer chat agents",
        ],
        ["Marigold Market", "Trailhead Outfitters", "Corner Goods", "Urban Pantry"],
        ["ecommerce engineering lead", "data engineer", "head of customer operations"],
        "peak season traffic was ten times the normal load",
    ),
    "Logistics": (
        [
            "route planning agents",
            "customs paperwork agents",
            "warehouse slotting agents",
            "shipment exception agents",
        ],
        ["Tidewater Freight", "Lantern Logistics", "Crossdock Express", "Arrow Parcel"],
        ["operations engineer", "SRE", "engineering manager"],
        "a late decision meant a missed truck and a missed delivery window",
    ),
    "Telecommunications": (
        [
            "network ticket triage agents",
            "billing dispute agents",
            "outage communication agents",
        ],
        ["Beacon Telecom", "Skyline Mobile", "Fibrewave"],
        ["NOC lead", "reliability engineer", "architect"],
        "the network operations centre would not accept an unexplained change",
    ),
    "Energy": (
        [
            "grid anomaly agents",
            "maintenance scheduling agents",
            "meter data validation agents",
        ],
        ["Prairie Power Co-op", "Coastal Energy", "Helios Utilities"],
        ["control systems engineer", "SRE lead", "data platform lead"],
        "nothing could change the operational network without a human in the loop",
    ),
    "Insurance": (
        [
            "claims intake agents",
            "underwriting research agents",
            "policy document agents",
        ],
        ["Evergreen Assurance", "Northstar Mutual", "Keystone Insurance Group"],
        ["claims platform lead", "staff engineer", "head of automation"],
        "each claim decision had to be explainable to the policyholder",
    ),
}

SIZE_BANDS = ["small", "medium", "large", "enterprise"]

CASE_TITLES = [
    "{factor} for {agent}",
    "How we ran {agent} in production with {factor}",
    "{months} months of {agent}: what {factor} changed",
    "Bringing {factor} to {agent}",
    "From pilot to production: {agent} and {factor}",
    "What {factor} taught us about {agent}",
    "Scaling {agent} across teams with {factor}",
]

CASE_SUMMARIES = [
    "A {team}-person team ran {agent} for {months} months and applied {factor} "
    "to make the agents observable and safe to change.",
    "We put {agent} behind {factor} and measured what changed over {months} months.",
    "How {a_domain} team moved {agent} from a pilot to daily use, and where {factor} helped most.",
]

CONTEXT = [
    "Our team of {team} engineers runs {agent} for the whole organization. Before this work, "
    "the agents ran without {factor}, and every incident started with the same question: "
    "what did the agent actually do?",
    "The constraints were strict: {constraint}. Any change to the agents had to pass the "
    "same review as a change to production code.",
    "We started with a **pilot** in one business unit and widened it only after {months} "
    "months without a severe incident.",
    "The agents handled a few thousand tasks a week. Most were routine; the rare ones were "
    "where the risk sat, and the ones nobody could reproduce afterwards.",
    "Three things made it hard:\n\n- the agents called tools owned by other teams\n"
    "- prompts changed weekly\n- nobody owned the agents on call",
]

APPROACH = [
    "We applied **{factor}** first. Every agent run got an identifier, and every tool call "
    "was recorded against it, so a run could be replayed step by step.",
    "We treated prompts and tool definitions as code: versioned, reviewed, and rolled out "
    "behind a flag to a small share of traffic first.",
    "For {agent} we added a validation step before any write. A failed check stopped the "
    "run and handed it to a person with the full context attached.",
    "We split one large agent into {parts} focused agents, each with its own budget, its "
    "own tests and its own owner.",
    "Steps we took, in order:\n\n1. record every run\n2. set budgets on tokens and tool calls\n"
    "3. add checks before writes\n4. review the traces weekly",
]

RESULTS = [
    "After {months} months the agents handled more work with fewer escalations, and the "
    "time to explain an incident fell from days to minutes.",
    "Incidents did not disappear, but every one of them could now be traced to a run, a "
    "prompt version and a tool call.",
    "The biggest change was cultural: the team started reading agent traces the way they "
    "read service logs, every morning.",
    "Costs became predictable. Budgets stopped the runaway runs that used to cost more in "
    "one night than the agents saved in a week.",
]

LESSONS = [
    "Start with tracking. Without it, none of the other factors can be measured.",
    "Write the validation checks with the people who used to do the work by hand; they "
    "know which mistakes matter.",
    "Keep agents small. Every time we split an agent, its failures became easier to explain.",
    "Budget for review time. A human in the loop who is too busy to look is not in the loop.",
    "Publish the numbers, even the bad ones. They are what convinced leadership to keep going.",
]

APPLICATION_NOTES = {
    "worked": [
        "Applied as written; no changes needed for {domain}.",
        "Worked out of the box once every run had an identifier.",
        "Straightforward for {agent}; the team adopted it within a sprint.",
    ],
    "adapted": [
        "Adapted to our review rules: {constraint}.",
        "We had to relax it for batch runs, which are checked afterwards instead.",
        "Worked after we moved the checks closer to the tools.",
    ],
    "failed": [
        "Did not hold: the tools we call could not be traced end to end.",
        "Abandoned after {months} months; the overhead outweighed the benefit for us.",
        "Failed under peak load; we are trying again with sampling.",
    ],
}

# (the author's words, unit, before from, to, after ÷ before from, to, vocabulary metric or None
# for "other"): most results improve, some get worse.
METRICS = [
    ("agent incidents per week", "incidents", 6, 18, 0.2, 1.15, "incident-rate"),
    ("mean time to recovery", "minutes", 20, 240, 0.2, 1.2, "mean-time-to-recovery"),
    ("human interventions per 100 runs", "interventions", 4, 30, 0.3, 1.1,
     "human-interventions-per-100-runs"),
    ("cost per task", "USD", 1, 9, 0.4, 1.25, "cost-per-task"),
    ("task success rate", "percent", 55, 80, 0.95, 1.35, "task-success-rate"),
    ("time to roll out a prompt change", "days", 3, 15, 0.1, 1.1, "time-to-production"),
    ("runaway runs per month", "runs", 5, 40, 0.0, 0.2, None),
]  # fmt: skip

ADAPTATION_TITLES = [
    "Adapting {factor} for {agent}",
    "{factor} under {domain} rules",
    "A lighter {factor} for small teams",
    "{factor} with sampling instead of full capture",
    "{factor} when a person must sign off",
]

ADAPTATION_CHANGES = [
    "We changed how **{factor}** applies to {agent}: {constraint}, so the factor as written "
    "was not possible.",
    "Instead of checking every run we sample one in ten, and every run that touches money "
    "or personal data.",
    "We moved the check from the agent to the tool gateway, so every agent gets it for free.",
    "Changes we made:\n\n- shorter retention for traces\n- a human sign-off step\n"
    "- budgets per team rather than per agent",
]

ADAPTATION_OUTCOMES = [
    "It held for {months} months. The adapted version caught most of what the full version "
    "would have, at a fraction of the cost.",
    "Mixed. It worked for routine tasks and missed two rare failures, which we now cover "
    "with a separate check.",
    "The team kept it. Reviewers said the sign-off step was the first time they trusted the "
    "agents.",
]

FAILURE_TITLES = [
    "Retry storm in {agent}",
    "{agent} looped for hours without a budget",
    "Silent prompt regression in {agent}",
    "Tool outage cascaded through {agent}",
    "Stale context led {agent} to act on old data",
    "{agent} wrote to production without a check",
]

FAILURE_SYMPTOM = [
    "The agents kept retrying the same tool call, and the queue behind them grew for hours.",
    "Outputs looked plausible but were wrong: a prompt change had dropped a key instruction.",
    "A spike in model spend was the first sign; nothing had alerted on behaviour.",
    "People downstream reported duplicate and contradictory actions from {agent}.",
]

FAILURE_IMPACT = [
    "About {count} tasks were delayed and had to be redone by hand.",
    "The {domain} team spent {hours} hours cleaning up, and one customer-facing deadline was "
    "missed.",
    "No lasting harm, but trust in the agents dropped and the rollout paused for {weeks}.",
]

FAILURE_ROOT_CAUSE = [
    "No budget on tool calls, and a retry policy that treated every error as temporary.",
    "Prompts were not versioned, so nobody could tell which change broke the behaviour.",
    "The agent loaded context once at start and never refreshed it during long runs.",
    "A missing validation step: **{factor}** was on the roadmap but not yet in place.",
]

FAILURE_DETECTION = [
    "A person noticed the backlog; no alert fired.",
    "Our cost dashboard, a day later.",
    "A weekly trace review spotted the pattern.",
    "A downstream team's own checks rejected the output.",
]

FAILURE_PREVENTION = [
    "Budgets on tokens, tool calls and wall time for every run, with an alert at half budget.",
    "Prompts are versioned and every change runs against a fixed evaluation set first.",
    "A validation step before any write, and a kill switch the on-call engineer can use.",
    "Context is reloaded at every step, and runs older than an hour are stopped.",
]

REFERENCE_TITLES = [
    "{factor} toolkit for {agent}",
    "An open {factor} starter kit",
    "{factor} as a library: the {domain} edition",
    "Reference pipeline for {factor}",
    "{factor} playbook and templates",
]

REFERENCE_SUMMARIES = [
    "A small, documented library that puts {factor} into practice for {agent}.",
    "Templates, scripts and a worked example, used by a {team}-person team for {months} months.",
    "A reference setup others in {domain} can copy, with the checks we run in CI.",
]

REFERENCE_DESCRIPTIONS = [
    "It wraps each agent run in a harness that records **inputs, outputs and tool calls**, "
    "then checks them against the rules in `policy.yaml`.",
    "Start with the `examples/` folder: it runs a {agent} end to end in about {hours} minutes "
    "on a laptop.",
    "The CI job fails a change when the evaluation suite regresses by more than {parts} percent.",
    "Everything is configuration: no code changes are needed to add a new agent or a new check.",
    "We keep a changelog and tag a release every {weeks} weeks; breaking changes come with a "
    "migration note.",
]

REFERENCE_NOTES = [
    "The harness records every run.",
    "A CI job enforces it.",
    "Templates in docs/ show how.",
    "Configured per agent in one file.",
    "",
]

LICENCES = ["Apache-2.0", "MIT", "BSD-3-Clause", "MPL-2.0", "CC-BY-4.0"]

PUBLISH_COMMENTS = [
    "Clear and well evidenced. Thank you for sharing the numbers.",
    "Published. The lessons section will help other teams a lot.",
    "Thanks: a useful data point for this factor.",
    "Good detail on the constraints; publishing as is.",
]

CHANGES_COMMENTS = [
    "Could you add the before and after numbers for the main metric?",
    "Please say which factors you applied and how each one went.",
    "The context section names a person; please anonymize it or confirm consent.",
    "Please expand the lessons: what would you do differently?",
]

REJECT_COMMENTS = [
    "This reads as a product announcement rather than evidence; we cannot publish it.",
    "There is not enough detail to tell what was done or what changed.",
    "This duplicates an earlier submission from the same team.",
]

WITHDRAW_COMMENTS = [
    "Withdrawing until legal has signed off on the numbers.",
    "We will resubmit once the rollout is complete.",
    "",
]

RESUBMIT_COMMENTS = ["Added the numbers as asked.", "Updated the text; thank you.", ""]

HIDDEN_REASON = "Hidden while a maintainer re-checks publication consent."

FIRST_NAMES = [
    "Ada", "Ben", "Chiara", "Dev", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas",
    "Kwame", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko",
]  # fmt: skip
LAST_NAMES = [
    "Achterberg", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ito", "Jensen", "Kowalski", "Lindqvist", "Mensah", "Novak", "Okafor", "Patel",
]  # fmt: skip
