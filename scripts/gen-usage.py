#!/usr/bin/env python3
"""Synthetic usage exports with known answers, for the importer's golden tests and benchmark.

    scripts/gen-usage.py fixtures DIR        every layout, small, plus DIR/answers.json
    scripts/gen-usage.py big ROWS FILE       a usage report (2025 layout) of ROWS data rows
    scripts/gen-usage.py trend DIR           a usage report over several months, plus
                                             DIR/trend-answers.json (the growth they show)

The fixtures describe one month (September 2026, priced with the 2026-09 book) of two
pay-as-you-go environments. The same events are written as the admin center's usage report in
both documented layouts (2025 with commas, a BOM and CRLF; 2021 as European Excel writes it:
`;`-separated with decimal commas), as Azure cost details (classic and FOCUS columns, with a
negotiated Copilot price, an unmapped meter and another service's row), as the Power Pages
consumption report and as a FlowRun table export. answers.json holds what the importer must
rebuild and what the engine must charge, computed here from the events with the rules of
shared/spec/billing-rules.md, independently of the Rust code.

Only the standard library; the output is the same on every run (fixed seed).
"""

import csv
import json
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

YEAR, MONTH, DAYS = 2026, 9, 30
CAP = 1000  # PA-14: billed runs per flow per day
PRICE = {
    "app": Decimal("10"),
    "cloud": Decimal("0.60"),
    "attended": Decimal("0.60"),
    "unattended": Decimal("3.00"),
    "db": Decimal("48"),
    "file": Decimal("2.40"),
    "log": Decimal("12"),
    "credit": Decimal("0.01"),
    "auth": Decimal("4"),
    "anon": Decimal("0.30"),
}
FREE_GB = {"db": Decimal(1), "file": Decimal(1), "log": Decimal(0)}
SUBCATEGORY = {"db": "Database", "file": "File", "log": "Log"}
RUN_SUBCATEGORY = {
    "cloud": "Cloud Flow Run",
    "attended": "Attended RPA Flow Run",
    "unattended": "Unattended RPA Flow Run",
}


def cents(x):
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def date(day, hour=0):
    return f"{YEAR:04d}-{MONTH:02d}-{day:02d}T{hour:02d}:00:00Z"


def guid(rng):
    return "%08x-%04x-%04x-%04x-%012x" % (
        rng.getrandbits(32),
        rng.getrandbits(16),
        rng.getrandbits(16),
        rng.getrandbits(16),
        rng.getrandbits(48),
    )


class Month:
    """The events of the month, and what they cost."""

    def __init__(self, seed=14):
        rng = random.Random(seed)
        self.rng = rng
        self.envs = [
            {"id": "env-hr-0001", "name": "HR Prod", "policy": "policy-hr", "plan": "HR-PAYG"},
            # A comma in the name: the CSV writer must quote it, the reader unquote it.
            {"id": "env-sales-02", "name": "Sales, EMEA", "policy": "policy-sales", "plan": "Sales-PAYG"},
        ]
        users = [guid(rng) for _ in range(40)]
        self.callers = users
        # Power Apps: (env, app) → users, each opening on 1 to 3 days.
        self.apps = {
            (0, "app-0001"): users[:15],
            (0, "app-0002"): users[:5],
            (1, "app-0003"): users[20:27],
        }
        self.opens = []  # (env, app, user, day, first)
        for (env, app), who in self.apps.items():
            for user in who:
                days = sorted(rng.sample(range(1, DAYS + 1), rng.randint(1, 3)))
                for i, day in enumerate(days):
                    self.opens.append((env, app, user, day, i == 0))
        # Flow runs per flow per day; one day of flow-0007 is over the cap.
        self.flows = {}
        self.flows[(0, "flow-0007", "cloud")] = {d: rng.randint(10, 50) for d in range(1, DAYS + 1)}
        self.flows[(0, "flow-0007", "cloud")][15] = 1200
        self.flows[(0, "flow-0008", "unattended")] = {d: 4 for d in (3, 9, 12, 20, 28)}
        self.flows[(1, "flow-0100", "attended")] = {d: 3 for d in range(1, 11)}
        # Dataverse: one reading a day per category (GB used).
        self.storage = {
            (0, "db"): Decimal("2.2"),
            (0, "file"): Decimal("0.5"),
            (0, "log"): Decimal("0.3"),
            (1, "db"): Decimal("1.6"),
        }
        # Requests (reported, not billed): users over 6,000 on some days; the tenant pool.
        self.requests = []  # (env, caller, type, entitled, day, consumed)
        for user in users[:3]:
            for day in (2, 3, 4):
                self.requests.append((0, user, "Non Licensed User", 6000, day, 9100))
        for day in (5, 6):
            self.requests.append((0, "app-sp-0001", "Application", 0, day, 30000))
        # Copilot credits per agent: consumed, billed (the rest: licensed users' messages).
        self.agents = {(0, "agent-01"): (3200, 3000), (1, "agent-02"): (500, 500)}
        # Power Pages (environment 0): first-time users per day.
        self.pages = {
            ("site-01", "authenticated mau"): {d: rng.randint(0, 3) for d in range(1, DAYS + 1)},
            ("site-01", "anonymous mau"): {d: rng.randint(5, 30) for d in range(1, DAYS + 1)},
        }

    # What the engine must charge -------------------------------------------------------------

    def pairs(self, env):
        return sum(len(who) for (e, _), who in self.apps.items() if e == env)

    def billed_runs(self, key):
        return sum(min(r, CAP) for r in self.flows[key].values())

    def storage_amount(self, env, cat):
        over = max(Decimal(0), self.storage[(env, cat)] - FREE_GB[cat])
        return cents(over * DAYS * PRICE[cat] / 30)

    def usage_total(self):
        """What the usage report's events cost on the 2026-09 book (requests are not billed)."""
        total = Decimal(0)
        for env in (0, 1):
            total += self.pairs(env) * PRICE["app"]
        for key in self.flows:
            total += cents(self.billed_runs(key) * PRICE[key[2]])
        for env, cat in self.storage:
            total += self.storage_amount(env, cat)
        for _, billed in self.agents.values():
            total += cents(billed * PRICE["credit"])
        return total

    def pages_users(self, sub):
        return sum(self.pages[("site-01", sub)].values())

    def pages_total(self):
        return self.pages_users("authenticated mau") * PRICE["auth"] + cents(
            self.pages_users("anonymous mau") * PRICE["anon"]
        )

    # Usage report ------------------------------------------------------------------------------

    def usage_rows(self):
        """(env, caller, caller type, resource type, resource, category, subcategory, datetime,
        entitled, consumed, overage, billed, unit, status) in time order."""
        rows = []
        for env, app, user, day, first in self.opens:
            rows.append((env, user, "User", "Power Apps", app, "Power Apps", "Launch", date(day, 8),
                         0, 1, 1, 1 if first else 0, "Unique users", "Billed"))
        for (env, flow, mode), daily in self.flows.items():
            for day, runs in sorted(daily.items()):
                rows.append((env, "", "User", "Power Automate", flow, "Power Automate",
                             RUN_SUBCATEGORY[mode], date(day), 0, runs, runs, min(runs, CAP), "Runs", "Billed"))
        for (env, cat), gb in self.storage.items():
            over = max(Decimal(0), gb - FREE_GB[cat])
            for day in range(1, DAYS + 1):
                rows.append((env, "", "Microsoft", "Dataverse", f"org-000{env}", "Dataverse", SUBCATEGORY[cat],
                             date(day), FREE_GB[cat], gb, over, over / 30, "GB", "Billed"))
        for env, caller, ctype, entitled, day, consumed in self.requests:
            over = max(0, consumed - (entitled or 25000))
            rows.append((env, caller, ctype, "Power Automate", "flow-0007", "Power Platform request", "",
                         date(day), entitled, consumed, over, over, "Requests", "Preview"))
        for (env, agent), (consumed, billed) in self.agents.items():
            # Spread over ten days; the undocumented category, recognised by its unit.
            for day in range(1, 11):
                rows.append((env, "", "User", "Copilot Studio", agent, "Copilot Studio", "",
                             date(day), 0, consumed // 10, 0, billed // 10, "Messages", "Billed"))
        rows.sort(key=lambda r: r[7])
        return rows

    def write_usage_2025(self, path):
        header = ["Billing Policy ID", "Billing Policy", "Environment ID", "Environment Name",
                  "Environment Region", "Caller ID", "Caller Type", "Resource Type", "Resource ID",
                  "Meter Category", "Meter Subcategory", "Usage Datetime", "Entitled Quantity",
                  "Consumed Quantity", "Overage Quantity", "Billed Quantity", "Unit of measure", "Status"]
        with open(path, "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            for r in self.usage_rows():
                env = self.envs[r[0]]
                w.writerow([env["policy"], env["plan"], env["id"], env["name"], "", *r[1:8],
                            num(r[8]), num(r[9]), num(r[10]), num(r[11]), r[12], r[13]])
            # Two bad rows: they must be listed with their row and column, and change nothing.
            w.writerow(["policy-hr", "HR-PAYG", "env-hr-0001", "HR Prod", "", "", "User", "Power Apps",
                        "app-0001", "Power Apps", "Launch", date(3), "0", "abc", "1", "1", "Unique users", "Billed"])
            w.writerow(["policy-hr", "HR-PAYG", "env-hr-0001", "HR Prod", "", "", "User", "Power Apps",
                        "app-0001", "Power Apps", "Launch", "yesterday", "0", "1", "1", "1", "Unique users", "Billed"])

    def write_usage_2021(self, path):
        header = ["Billing Policy ID", "Azure Subscription ID", "Billing Period Start Date",
                  "Billing Period End Date", "Environment ID", "Environment Region", "Caller ID",
                  "Caller Type", "Resource Type", "Resource ID", "Meter Category", "Meter Subcategory",
                  "Usage Datetime", "Billing Model", "Entitled Quantity", "Consumed Quantity",
                  "Overage Quantity", "Billed Quantity", "Unit of measure"]
        with open(path, "w", newline="", encoding="utf-8") as f:
            # European Excel: `;` between fields, a comma as the decimal mark.
            w = csv.writer(f, delimiter=";", lineterminator="\r\n")
            w.writerow(header)
            for r in self.usage_rows():
                env = self.envs[r[0]]
                w.writerow([env["policy"], "00000000-0000-0000-0000-00000000aaaa", f"{YEAR}-{MONTH:02d}-01",
                            f"{YEAR}-{MONTH:02d}-{DAYS}", env["id"], "", *r[1:8], "Pay-as-you-go",
                            num(r[8], True), num(r[9], True), num(r[10], True), num(r[11], True), r[12]])

    # Power Pages --------------------------------------------------------------------------------

    def write_pages(self, path):
        header = ["Environment ID", "Environment Name", "Resource Type", "Resource ID", "Meter Category",
                  "Meter Subcategory", "Usage Datetime", "Billed Quantity", "Unit of Measure",
                  "Website License Type"]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            env = self.envs[0]
            for (site, sub), daily in self.pages.items():
                for day, users in sorted(daily.items()):
                    w.writerow([env["id"], env["name"], "Power Pages Website", site, "Power Pages", sub,
                                f"{YEAR}-{MONTH:02d}-{day:02d}", users, "Unique users per website", "capacity"])

    # Azure --------------------------------------------------------------------------------------

    def azure_rows(self):
        """(env, category, subcategory, meter name, day, quantity, unit, unit price charged)."""
        rows = []
        for env in (0, 1):
            # Power Apps users are reported once, at month end.
            rows.append((env, "Power Apps", "Launch", "Power Apps per app", DAYS, Decimal(self.pairs(env)),
                         "1 User", PRICE["app"]))
        for (env, flow, mode), daily in self.flows.items():
            for day, runs in sorted(daily.items()):
                rows.append((env, "Power Automate", RUN_SUBCATEGORY[mode], f"{RUN_SUBCATEGORY[mode]}s",
                             day, Decimal(min(runs, CAP)), "1 Run", PRICE[mode]))
        for (env, cat), gb in self.storage.items():
            over = max(Decimal(0), gb - FREE_GB[cat])
            if over == 0:
                continue
            for day in range(1, DAYS + 1):
                rows.append((env, "Dataverse", SUBCATEGORY[cat], f"Dataverse {SUBCATEGORY[cat]} Capacity",
                             day, over / 30, "1 GB/Month", PRICE[cat]))
        for (env, _), (_, billed) in self.agents.items():
            # A negotiated price: the reconciliation must say "book".
            rows.append((env, "Copilot Studio", "Copilot Credits", "Copilot Studio Credit", DAYS,
                         Decimal(billed), "1 Credit", Decimal("0.009")))
        return rows

    def azure_answers(self):
        """Azure's charged total, and what the engine charges for the same quantities."""
        charged = Decimal(0)
        computed = Decimal(0)
        for env, cat, sub, name, day, q, unit, price in self.azure_rows():
            charged += cents(q * price)
        for env in (0, 1):
            computed += self.pairs(env) * PRICE["app"]
        for key in self.flows:
            computed += cents(self.billed_runs(key) * PRICE[key[2]])
        for env, cat in self.storage:
            computed += self.storage_amount(env, cat)
        for _, billed in self.agents.values():
            computed += cents(billed * PRICE["credit"])
        return charged, computed

    def write_azure_classic(self, path):
        header = ["Date", "SubscriptionId", "ResourceGroup", "ResourceId", "ConsumedService", "MeterCategory",
                  "MeterSubCategory", "MeterName", "Quantity", "UnitOfMeasure", "EffectivePrice",
                  "CostInBillingCurrency", "BillingCurrency", "BillingAccountId", "Tags"]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            for env, cat, sub, name, day, q, unit, price in self.azure_rows():
                plan = self.envs[env]["plan"]
                rid = (f"/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-ppbilling/"
                       f"providers/Microsoft.PowerPlatform/accounts/{plan}")
                # Azure writes US dates in classic exports.
                w.writerow([f"{MONTH:02d}/{day:02d}/{YEAR}", "00000000-0000-0000-0000-00000000aaaa",
                            "rg-ppbilling", rid, "microsoft.powerplatform", cat, sub, name, num(q), unit,
                            num(price), num(cents(q * price)), "USD", "billing-account-1", ""])
            # Another service: filtered out and counted.
            w.writerow([f"{MONTH:02d}/01/{YEAR}", "00000000-0000-0000-0000-00000000aaaa", "rg-vm",
                        "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-vm/providers/"
                        "Microsoft.Compute/virtualMachines/vm1", "Microsoft.Compute", "Virtual Machines",
                        "Dv3", "D2 v3", "24", "1 Hour", "0.096", "2.30", "USD", "billing-account-1", ""])
            # A Power Platform meter no rule knows: listed with its quantity and cost.
            w.writerow([f"{MONTH:02d}/30/{YEAR}", "00000000-0000-0000-0000-00000000aaaa", "rg-ppbilling",
                        "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-ppbilling/"
                        "providers/Microsoft.PowerPlatform/accounts/HR-PAYG", "microsoft.powerplatform",
                        "Process Mining", "Storage", "Process Mining Storage", "5", "1 GB/Month", "2.50",
                        "12.50", "USD", "billing-account-1", ""])

    def write_azure_focus(self, path):
        header = ["BilledCost", "BillingAccountId", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd",
                  "ConsumedQuantity", "ConsumedUnit", "ContractedUnitPrice", "ResourceId", "ResourceName",
                  "ServiceName", "SubAccountId", "x_ResourceType", "x_SkuMeterCategory",
                  "x_SkuMeterSubcategory", "x_SkuMeterName"]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for env, cat, sub, name, day, q, unit, price in self.azure_rows():
                plan = self.envs[env]["plan"]
                rid = (f"/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourcegroups/rg-ppbilling/"
                       f"providers/microsoft.powerplatform/accounts/{plan.lower()}")
                w.writerow([num(cents(q * price)), "billing-account-1", "USD", date(day),
                            date(min(day + 1, DAYS)), num(q), unit, num(price), rid, plan, "Power Platforms",
                            "00000000-0000-0000-0000-00000000aaaa", "microsoft.powerplatform/accounts",
                            cat, sub, name])
            w.writerow(["2.30", "billing-account-1", "USD", date(1), date(2), "24", "1 Hour", "0.096",
                        "/subscriptions/x/resourcegroups/rg-vm/providers/microsoft.compute/virtualmachines/vm1",
                        "vm1", "Virtual Machines", "x", "microsoft.compute/virtualmachines",
                        "Virtual Machines", "Dv3", "D2 v3"])
            w.writerow(["12.50", "billing-account-1", "USD", date(30), date(30), "5", "1 GB/Month", "2.50",
                        "/subscriptions/x/resourcegroups/rg-ppbilling/providers/microsoft.powerplatform/accounts/hr-payg",
                        "HR-PAYG", "Power Platforms", "x", "microsoft.powerplatform/accounts",
                        "Process Mining", "Storage", "Process Mining Storage"])

    # FlowRun ------------------------------------------------------------------------------------

    def flow_runs(self):
        """(run id, start, status, trigger, workflow id, name, isprimary, parent, owner)."""
        rng = random.Random(7)
        runs = []
        n = 0
        for day in range(1, DAYS + 1):
            n += 1
            parent = f"0858{n:06d}"
            runs.append((parent, date(day, 7), "Succeeded", "Scheduled", "3f2a-0001", "Nightly invoice sync",
                         "1", "", "user-0042"))
            n += 1
            runs.append((f"0858{n:06d}", date(day, 7), "Succeeded", "Manual", "9c1b-0002", "Invoice child",
                         "0", parent, "user-0042"))
            for _ in range(rng.randint(2, 6)):
                n += 1
                status = "Failed" if rng.random() < 0.1 else "Succeeded"
                runs.append((f"0858{n:06d}", date(day, 9), status, "Automated", "77de-0003", "New lead router",
                             "1", "", "user-0107"))
        return runs

    def write_flow_runs(self, path):
        header = ["name", "starttime", "endtime", "duration", "status", "triggertype", "errorcode",
                  "workflowid", "workflowname", "isprimary", "parentrunid", "ownerid"]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for run_id, start, status, trigger, wid, name, primary, parent, owner in self.flow_runs():
                w.writerow([run_id, start, start, "4", status, trigger,
                            "ActionFailed" if status == "Failed" else "", wid, name, primary, parent, owner])

    def flow_run_answers(self):
        primary = sum(1 for r in self.flow_runs() if r[6] == "1")
        child = sum(1 for r in self.flow_runs() if r[6] == "0")
        return primary, child


def num(x, comma=False):
    """A number as the export writes it: no exponent, no trailing zeros."""
    d = Decimal(x)
    text = format(d.normalize(), "f") if d != d.to_integral() else str(int(d))
    return text.replace(".", ",") if comma else text


def fixtures(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    m = Month()
    m.write_usage_2025(out / "usage-2025.csv")
    m.write_usage_2021(out / "usage-2021.csv")
    m.write_pages(out / "pages.csv")
    m.write_azure_classic(out / "azure-classic.csv")
    m.write_azure_focus(out / "azure-focus.csv")
    m.write_flow_runs(out / "flowrun.csv")
    charged, computed = m.azure_answers()
    primary, child = m.flow_run_answers()
    answers = {
        "month": f"{YEAR}-{MONTH:02d}",
        "book": "2026-09",
        "usage_report": {
            "total_billed": str(m.usage_total()),
            "environments": [e["name"] for e in m.envs],
            "user_app_pairs": [m.pairs(0), m.pairs(1)],
            "billed_runs": {f"{k[1]} ({k[2]})": m.billed_runs(k) for k in m.flows},
            "bad_rows": [{"row": len(m.usage_rows()) + 2, "column": "Consumed Quantity"},
                         {"row": len(m.usage_rows()) + 3, "column": "Usage Datetime"}],
            "callers": m.callers,
        },
        "pages": {
            "authenticated": m.pages_users("authenticated mau"),
            "anonymous": m.pages_users("anonymous mau"),
            "total_billed": str(m.pages_total()),
        },
        "azure": {
            "charged": str(charged + Decimal("12.50")),
            "charged_mapped": str(charged),
            "total_billed": str(computed),
            "other_service_rows": 1,
            "unmapped": [{"category": "Process Mining", "quantity": "5", "cost": "12.50"}],
        },
        "flowrun": {
            "primary_runs": primary,
            "child_runs": child,
            "total_billed": str(cents(primary * PRICE["cloud"])),
            "owners": ["user-0042", "user-0107"],
        },
    }
    (out / "answers.json").write_text(json.dumps(answers, indent=2) + "\n", encoding="utf-8")


def big(rows, path):
    """A usage report (2025 layout) of `rows` rows: 10 environments, 200 apps, 50,000 users,
    500 flows, daily Dataverse readings and requests, written as it is generated."""
    rng = random.Random(1)
    users = [guid(rng) for _ in range(50_000)]
    header = ["Billing Policy ID", "Billing Policy", "Environment ID", "Environment Name",
              "Environment Region", "Caller ID", "Caller Type", "Resource Type", "Resource ID",
              "Meter Category", "Meter Subcategory", "Usage Datetime", "Entitled Quantity",
              "Consumed Quantity", "Overage Quantity", "Billed Quantity", "Unit of measure", "Status"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        for i in range(rows):
            env = i % 10
            day = 1 + (i // 10) % DAYS
            e = [f"policy-{env % 3}", f"Plan {env % 3}", f"env-{env:04d}", f"Environment {env}", ""]
            kind = rng.random()
            if kind < 0.6:
                user = users[rng.randrange(len(users))]
                w.writerow(e + [user, "User", "Power Apps", f"app-{rng.randrange(200):04d}", "Power Apps",
                                "Launch", date(day, 8), 0, 1, 1, 1, "Unique users", "Billed"])
            elif kind < 0.85:
                runs = rng.randint(1, 1500)
                w.writerow(e + ["", "User", "Power Automate", f"flow-{rng.randrange(500):04d}", "Power Automate",
                                "Cloud Flow Run", date(day), 0, runs, runs, min(runs, CAP), "Runs", "Billed"])
            elif kind < 0.95:
                user = users[rng.randrange(len(users))]
                consumed = rng.randint(1000, 12000)
                w.writerow(e + [user, "User", "Power Automate", f"flow-{rng.randrange(500):04d}",
                                "Power Platform request", "", date(day), 6000, consumed,
                                max(0, consumed - 6000), max(0, consumed - 6000), "Requests", "Preview"])
            else:
                gb = Decimal(rng.randint(5, 50)) / 10
                over = max(Decimal(0), gb - 1)
                w.writerow(e + ["", "Microsoft", "Dataverse", f"org-{env:04d}", "Dataverse", "Database",
                                date(day), 1, num(gb), num(over), num((over / 30).quantize(Decimal("0.0001"))),
                                "GB", "Billed"])


class Trend:
    """Several months of one environment, for the forecast: usage that grows unevenly from
    June to September 2026, a partial May (from the 20th) and a partial October (to the 12th),
    as an export of a window of days starts and ends mid-month.

    trend-answers.json holds each month's usage at the list prices (app users, cloud flow
    runs, Dataverse GB in use, agent credits, each at its meter's price), the months the fit
    keeps, and the growth: a least-squares line through ln(value) against the month, computed
    here with floats (math.log), independently of the importer's Decimal series."""

    # (month, first day, last day, app users, cloud runs a day, database GB, agent credits)
    MONTHS = [
        (5, 20, 31, 15, 30, Decimal("2.0"), 900),
        (6, 1, 30, 18, 40, Decimal("2.1"), 1000),
        (7, 1, 31, 20, 44, Decimal("2.3"), 1150),
        (8, 1, 31, 23, 47, Decimal("2.4"), 1200),
        (9, 1, 30, 25, 55, Decimal("2.6"), 1400),
        (10, 1, 12, 12, 60, Decimal("2.7"), 400),
    ]

    def __init__(self):
        rng = random.Random(21)
        self.users = [guid(rng) for _ in range(40)]

    @staticmethod
    def days_in(month):
        return 31 if month in (5, 7, 8, 10) else 30

    def value(self, row):
        month, first, last, users, runs, gb, credits = row
        days = last - first + 1
        return (users * PRICE["app"] + runs * days * PRICE["cloud"] + gb * PRICE["db"]
                + credits * PRICE["credit"])

    def write(self, path):
        header = ["Billing Policy ID", "Billing Policy", "Environment ID", "Environment Name",
                  "Environment Region", "Caller ID", "Caller Type", "Resource Type", "Resource ID",
                  "Meter Category", "Meter Subcategory", "Usage Datetime", "Entitled Quantity",
                  "Consumed Quantity", "Overage Quantity", "Billed Quantity", "Unit of measure", "Status"]
        e = ["policy-hr", "HR-PAYG", "env-hr-0001", "HR Prod", ""]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            for month, first, last, users, runs, gb, credits in self.MONTHS:
                def at(day, hour=0):
                    return f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00Z"
                # Each user opens the app on two days: distinct users, not opens, are counted.
                for i, user in enumerate(self.users[:users]):
                    for day in sorted({first + i % (last - first + 1), last}):
                        w.writerow(e + [user, "User", "Power Apps", "app-0001", "Power Apps", "Launch",
                                        at(day, 8), 0, 1, 1, 1, "Unique users", "Billed"])
                for day in range(first, last + 1):
                    w.writerow(e + ["", "User", "Power Automate", "flow-0007", "Power Automate",
                                    "Cloud Flow Run", at(day), 0, runs, runs, runs, "Runs", "Billed"])
                    over = max(Decimal(0), gb - 1)
                    w.writerow(e + ["", "Microsoft", "Dataverse", "org-0001", "Dataverse", "Database",
                                    at(day), 1, num(gb), num(over), num((over / 30).quantize(Decimal("0.0001"))),
                                    "GB", "Billed"])
                w.writerow(e + ["", "User", "Copilot Studio", "agent-01", "Copilot Studio", "",
                                at(first), 0, credits, credits, credits, "Messages", "Billed"])

    def answers(self):
        import math
        whole = [r for r in self.MONTHS if r[1] <= 3 and r[2] >= self.days_in(r[0]) - 2]
        ts = [r[0] for r in whole]
        ys = [math.log(float(self.value(r))) for r in whole]
        tm, ym = sum(ts) / len(ts), sum(ys) / len(ys)
        slope = sum((t - tm) * (y - ym) for t, y in zip(ts, ys)) / sum((t - tm) ** 2 for t in ts)
        growth = (math.exp(slope) - 1) * 100
        return {
            "months": [{"month": f"2026-{r[0]:02d}", "usage_value": str(cents(self.value(r))),
                        "fitted": r in whole} for r in self.MONTHS],
            "from": f"2026-{whole[0][0]:02d}",
            "to": f"2026-{whole[-1][0]:02d}",
            "growth_percent_exact": growth,
            "growth_percent": str(Decimal(repr(growth)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
        }


def trend(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t = Trend()
    t.write(out / "trend.csv")
    (out / "trend-answers.json").write_text(json.dumps(t.answers(), indent=2) + "\n", encoding="utf-8")


def main(argv):
    if len(argv) == 3 and argv[1] == "fixtures":
        fixtures(argv[2])
    elif len(argv) == 3 and argv[1] == "trend":
        trend(argv[2])
    elif len(argv) == 4 and argv[1] == "big":
        big(int(argv[2]), argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
