//! Power Pages meters (PP-1..8): $4 per authenticated user per website and $0.30 per
//! anonymous visitor per website, per calendar month (UTC, AMB-1).
//!
//! Distinct keys (AMB-2): authenticated users by (website, user), anonymous visitors by
//! (website, cookie id), so one person on two websites, or on two devices, counts twice.
//! Quick counts and detailed records add up on both meters: they describe different people.
//!
//! Anonymous exclusions (PP-6). The documentation mixes request-level clauses (authentication
//! pages, `/_` paths, 3xx–5xx responses, static resources) with visitor-level ones (bots,
//! monitors, a same-day login), and the FAQ says a visitor is left out only when *all* of
//! their requests are 3xx/4xx/5xx. We read every clause that way: a visitor is billed when at
//! least one of their requests survives all the clauses. The clauses are applied one after
//! the other, each to the requests the earlier ones left, in the order f, g, a, b, c, d, e;
//! the visitor is attributed to the clause that removes their last qualifying request. So a
//! visitor with one sign-in request and one `/_services` request is not billed (PP-6b), where
//! testing each clause against all requests would have billed them although none of their
//! requests is billable. PP-6e (and PP-8) then looks at the days of the requests that are
//! left: a visitor who logged in on the day of every one of them counts only as
//! authenticated; any of them on another day keeps the visitor on the anonymous meter.
//!
//! A request is a static resource (PP-6d) when it is marked so or when its path ends in a
//! file extension of a stylesheet, script, image or font (`/theme.css`, `/logo.PNG?v=2`), so
//! that request logs need no extra column. The reason given for an excluded visitor names the
//! clause that removed their last request; when earlier clauses removed others, it says which
//! (a 500 page and a static 200: "only fetched static resources … their other requests got
//! error or redirect responses").
//!
//! PP-6e takes visitors off the anonymous meter because they count as authenticated users.
//! When a website has fewer authenticated users on record (quick counts and named logins, any
//! licence) than visitors PP-6e removed, some of those logins are on neither meter: the
//! breakdown says so in a note (which the form repeats next to the inputs), rather than
//! inventing users.
//!
//! Quick exclusion counts follow the same order; a visitor belongs to at most one clause, so
//! each clause takes at most the visitors the earlier clauses left (saturating at zero when
//! the counts exceed the visitors, which the decoder rejects).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::breakdown::{Charge, Ledger, Meter, Payer};
use super::licence::Licence;
use super::money::{self, Overflow};
use super::power_apps::{ActiveUsers, Directory, is_are, people};
use super::price_book::PriceKey;
use super::scenario::{AnonymousExclusions, AnonymousRequest, SiteStatus, UserAgent, Website};
use super::{Context, Environment};

/// The unit of every line and exclusion of both meters.
const UNIT: &str = "user-website";

/// PP-6a: authentication pages, as path prefixes after the leading `/` and an optional
/// language segment. `account/login` is the route under which Power Pages serves its sign-in,
/// registration, invitation redemption and external-provider callback pages.
const AUTH_PAGES: [&str; 5] = [
    "signin",
    "register",
    "invitation",
    "externalauthenticationcallback",
    "account/login",
];

/// PP-6d: file extensions of static resources (stylesheets, scripts, images, fonts), lower
/// case, without the dot.
const STATIC_EXTENSIONS: [&str; 21] = [
    "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp",
    "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "cur",
];

/// PP-6d: whether a path names a static file by its extension. Case-insensitive; the query and
/// fragment are ignored; only the last segment counts (`/v1.2/products` is a page).
fn is_static_path(path: &str) -> bool {
    // Byte positions rather than `split`/`rsplit`: each string pattern search is more code in
    // the wasm, and every separator here is ASCII.
    let b = path.as_bytes();
    let end = b
        .iter()
        .position(|c| *c == b'?' || *c == b'#')
        .unwrap_or(b.len());
    let b = &b[..end];
    let start = b.iter().rposition(|c| *c == b'/').map_or(0, |i| i + 1);
    let last = &b[start..];
    match last.iter().rposition(|c| *c == b'.') {
        Some(dot) if dot > 0 => {
            let ext = &last[dot + 1..];
            STATIC_EXTENSIONS
                .iter()
                .any(|known| known.as_bytes().eq_ignore_ascii_case(ext))
        }
        _ => false,
    }
}

/// The PP-6 clauses, in the order they are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Clause {
    Bot,
    Monitor,
    AuthPages,
    UnderscorePaths,
    ErrorOrRedirect,
    StaticOnly,
    LoggedInSameDay,
}

impl Clause {
    const ORDER: [Clause; 7] = [
        Clause::Bot,
        Clause::Monitor,
        Clause::AuthPages,
        Clause::UnderscorePaths,
        Clause::ErrorOrRedirect,
        Clause::StaticOnly,
        Clause::LoggedInSameDay,
    ];

    fn rule(self) -> &'static str {
        match self {
            Clause::AuthPages => "PP-6a",
            Clause::UnderscorePaths => "PP-6b",
            Clause::ErrorOrRedirect => "PP-6c",
            Clause::StaticOnly => "PP-6d",
            Clause::LoggedInSameDay => "PP-6e",
            Clause::Bot => "PP-6f",
            Clause::Monitor => "PP-6g",
        }
    }

    /// The quick count of visitors the user put under this clause.
    fn quick_count(self, counts: &AnonymousExclusions) -> u64 {
        match self {
            Clause::AuthPages => counts.auth_pages_only,
            Clause::UnderscorePaths => counts.underscore_paths_only,
            Clause::ErrorOrRedirect => counts.error_or_redirect_only,
            Clause::StaticOnly => counts.static_only,
            Clause::LoggedInSameDay => counts.logged_in_same_day,
            Clause::Bot => counts.bots,
            Clause::Monitor => counts.monitors,
        }
    }

    /// Whether a request-level clause takes this request out (PP-6e is visitor-level).
    fn removes(self, request: &AnonymousRequest) -> bool {
        match self {
            Clause::Bot => request.agent == UserAgent::Bot,
            Clause::Monitor => request.agent == UserAgent::Monitor,
            Clause::AuthPages => is_auth_page(&request.path),
            Clause::UnderscorePaths => request.path.starts_with("/_"),
            Clause::ErrorOrRedirect => (300..=599).contains(&request.status),
            Clause::StaticOnly => request.static_resource || is_static_path(&request.path),
            Clause::LoggedInSameDay => false,
        }
    }

    /// A bit of a [`Removed`] set.
    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// What the requests this clause removed were, for "their other requests …".
    fn other_requests(self) -> &'static str {
        match self {
            Clause::Bot => "came from a bot (PP-6f)",
            Clause::Monitor => "came from a monitor (PP-6g)",
            Clause::AuthPages => "were authentication pages (PP-6a)",
            Clause::UnderscorePaths => "were paths starting with /_ (PP-6b)",
            Clause::ErrorOrRedirect => "got redirect or error responses (PP-6c)",
            Clause::StaticOnly => "were static resources (PP-6d)",
            Clause::LoggedInSameDay => "",
        }
    }

    /// One sentence: why `n` visitors of `site` are not counted, when `earlier` clauses had
    /// removed some of their requests before this one removed the rest.
    fn reason(self, n: Decimal, site: &str, earlier: Removed) -> String {
        let mut sentence = self.main_reason(n, site);
        let mut others = Clause::ORDER
            .iter()
            .filter(|c| **c != self && earlier.0 & c.bit() != 0)
            .peekable();
        if others.peek().is_some() {
            // Replace the final full stop: the rest belongs to the same sentence.
            sentence.pop();
            sentence.push_str("; their other requests ");
            for (i, c) in others.enumerate() {
                if i > 0 {
                    sentence.push_str(" or ");
                }
                sentence.push_str(c.other_requests());
            }
            sentence.push('.');
        }
        sentence
    }

    fn main_reason(self, n: Decimal, site: &str) -> String {
        let who = format!(
            "{} of {site}",
            people(n, "anonymous visitor", "anonymous visitors")
        );
        match self {
            Clause::AuthPages => format!(
                "{who} only visited authentication pages (sign-in, register, invitation, \
                 external authentication callback), which are not counted (PP-6a)."
            ),
            Clause::UnderscorePaths => format!(
                "{who} only requested paths starting with /_ (such as /_services/about), \
                 which are not counted (PP-6b)."
            ),
            Clause::ErrorOrRedirect => format!(
                "{who} only got redirect (3xx) or error (4xx, 5xx) responses; a visitor is not \
                 counted when all of their requests do (PP-6c)."
            ),
            Clause::StaticOnly => format!(
                "{who} only fetched static resources (CSS, JavaScript, images, fonts), which are \
                 not counted (PP-6d)."
            ),
            Clause::LoggedInSameDay => format!(
                "{who} logged in on the same UTC day as they browsed anonymously, so they count \
                 only as authenticated users (PP-6e)."
            ),
            Clause::Bot => {
                format!("{who} came from bots or crawlers, which are not counted (PP-6f).")
            }
            Clause::Monitor => format!(
                "{who} came from monitoring systems with a non-browser user agent, which are \
                 not counted (PP-6g)."
            ),
        }
    }
}

/// PP-6a: whether a path is an authentication page. Case-insensitive; the query and fragment
/// are ignored, as is a leading language segment (`/en-US/SignIn`). A page matches on a
/// whole segment (`/register/`, not `/registered-events`), except that `/signin-…` also
/// matches: Power Pages serves its OpenID and SAML callbacks there (`/signin-openid_1`).
fn is_auth_page(path: &str) -> bool {
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let rest = path.trim_start_matches('/');
    let rest = match rest.split_once('/') {
        Some((first, tail)) if is_language(first) => tail,
        _ => rest,
    };
    AUTH_PAGES.iter().any(|page| {
        rest.strip_prefix(page).is_some_and(|tail| {
            tail.is_empty() || tail.starts_with('/') || (*page == "signin" && tail.starts_with('-'))
        })
    })
}

/// `en`, `en-us`, `zh-hans`: the language segment of a multilingual site.
fn is_language(segment: &str) -> bool {
    let (language, region) = segment.split_once('-').unwrap_or((segment, ""));
    language.len() == 2
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && (region.is_empty()
            || ((2..=4).contains(&region.len())
                && region.bytes().all(|b| b.is_ascii_alphanumeric())))
}

/// The clauses that removed some of a visitor's requests (a bit per [`Clause`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Removed(u8);

/// What PP-5/PP-6 make of one detailed visitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Counted; `logged_in_other_day` is PP-8 (logged in, but not on the days they browsed).
    Billed { logged_in_other_day: bool },
    /// Not counted: the clause that removed the last request, and those that removed others.
    Excluded(Clause, Removed),
}

/// Applies PP-6 to all the requests of one visitor (see the module comment for the order).
fn classify(requests: &[&AnonymousRequest]) -> Verdict {
    // Days as flags, not a set: collecting a set sorts, and each sorted type is more code in
    // the wasm (docs/benchmarks.md).
    let mut login_days = [false; 256];
    let mut logged_in = false;
    for day in requests.iter().filter_map(|r| r.logged_in_on_day) {
        login_days[usize::from(day)] = true;
        logged_in = true;
    }
    let mut left: Vec<&AnonymousRequest> = requests.to_vec();
    let mut removed = Removed::default();
    for clause in Clause::ORDER {
        if clause == Clause::LoggedInSameDay {
            // PP-6e: every remaining request falls on a day the visitor logged in.
            if logged_in && left.iter().all(|r| login_days[usize::from(r.day)]) {
                return Verdict::Excluded(clause, removed);
            }
            continue;
        }
        let before = left.len();
        left.retain(|r| !clause.removes(r));
        if left.is_empty() {
            return Verdict::Excluded(clause, removed);
        }
        if left.len() < before {
            removed.0 |= clause.bit();
        }
    }
    Verdict::Billed {
        logged_in_other_day: logged_in,
    }
}

/// The anonymous meter of one website.
struct AnonymousTally {
    /// Visitors seen this month, before exclusions (quick + distinct detailed).
    visitors: Decimal,
    billed: Decimal,
    /// Excluded visitors by the clause that applied and the clauses that removed their other
    /// requests (one exclusion line each, so that each reason is true of every visitor in it).
    /// A list, not a map: a handful of entries, and each map key type is more code in the
    /// wasm (docs/benchmarks.md).
    excluded: Vec<(Clause, Removed, Decimal)>,
    /// PP-8: billed visitors who logged in on another day.
    logged_in_other_day: Decimal,
}

fn tally_anonymous(site: &Website) -> Result<AnonymousTally, Overflow> {
    let mut excluded: Vec<(Clause, Removed, Decimal)> = Vec::new();
    let mut add_excluded = |key: (Clause, Removed), n: Decimal| -> Result<(), Overflow> {
        match excluded.iter_mut().find(|(c, r, _)| (*c, *r) == key) {
            Some((_, _, slot)) => *slot = money::add(*slot, n)?,
            None => excluded.push((key.0, key.1, n)),
        }
        Ok(())
    };

    // Quick counts: each clause takes at most what the earlier ones left.
    let mut left = site.anonymous_visitors;
    for clause in Clause::ORDER {
        let take = clause.quick_count(&site.anonymous_exclusions).min(left);
        left -= take;
        add_excluded((clause, Removed::default()), money::count(take))?;
    }
    let mut billed = money::count(left);
    let mut visitors = money::count(site.anonymous_visitors);
    let mut logged_in_other_day = Decimal::ZERO;

    // Detailed records: one verdict per cookie id (PP-5).
    let mut by_visitor: BTreeMap<&str, Vec<&AnonymousRequest>> = BTreeMap::new();
    for request in &site.anonymous_requests {
        by_visitor
            .entry(request.visitor.as_str())
            .or_default()
            .push(request);
    }
    for requests in by_visitor.values() {
        visitors = money::add(visitors, Decimal::ONE)?;
        match classify(requests) {
            Verdict::Excluded(clause, removed) => add_excluded((clause, removed), Decimal::ONE)?,
            Verdict::Billed {
                logged_in_other_day: other_day,
            } => {
                billed = money::add(billed, Decimal::ONE)?;
                if other_day {
                    logged_in_other_day = money::add(logged_in_other_day, Decimal::ONE)?;
                }
            }
        }
    }
    excluded.retain(|(_, _, n)| !n.is_zero());
    Ok(AnonymousTally {
        visitors,
        billed,
        excluded,
        logged_in_other_day,
    })
}

/// PP-6e visitors beyond the website's authenticated users on record: logins that are on
/// neither meter.
fn unmatched_logins(anonymous: &AnonymousTally, authenticated: Decimal) -> Decimal {
    // Each part is at most the visitors, which were added up without overflow, and both are
    // at least zero: neither step can fail.
    let mut same_day = Decimal::ZERO;
    for (clause, _, n) in &anonymous.excluded {
        if *clause == Clause::LoggedInSameDay {
            same_day = money::add(same_day, *n).unwrap_or(same_day);
        }
    }
    money::sub(same_day, authenticated)
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::ZERO)
}

fn unmatched_note(unmatched: Decimal, site: &str, authenticated: Decimal) -> String {
    // One sentence for any count ("logins: 1"), to keep the wasm small.
    format!(
        "Anonymous visitors of {site} who logged in on the day they browsed are left out of the \
         anonymous meter (PP-6e), but {site} has {} authenticated users on record, {} fewer than \
         those visitors: those logins are billed on neither meter. Add them to the website's \
         authenticated users (PP-2) if they logged in.",
        money::format_quantity(authenticated),
        money::format_quantity(unmatched),
    )
}

/// Why an exempt licence group is not counted on the authenticated meter (PP-3).
fn exemption_reason(rule: &str, licence: Licence, n: Decimal, site: &str) -> String {
    let users = people(n, "user", "users");
    let verb = is_are(n);
    match (rule, licence) {
        ("PP-3", Licence::PowerAppsPerUser) => format!(
            "{users} of {site} with a Power Apps per-user licence {verb} not counted (PP-3)."
        ),
        ("PP-3", Licence::Dynamics365) => format!(
            "{users} of {site} with a Dynamics 365 Enterprise licence {verb} not counted \
             (PP-3, AMB-3): the licence provides access to the website."
        ),
        _ => format!(
            "{users} of {site} with a {} licence {verb} not counted ({rule}).",
            licence.label()
        ),
    }
}

/// Prices both Power Pages meters of one environment.
pub(crate) fn price(
    env: &Environment,
    ctx: &Context<'_>,
    ledger: &mut Ledger,
) -> Result<(), Overflow> {
    let directory = Directory::new(&env.users);
    for site in &env.websites {
        let authenticated = ActiveUsers::count(&site.authenticated, &site.logged_in, &directory)?;
        for id in &authenticated.unknown {
            ledger.note(
                "PP-2",
                format!(
                    "User id \"{id}\" logged in to {} but is not among the named users of {}; \
                     it is counted as an unlicensed user (PP-2).",
                    site.name, env.name
                ),
            );
        }
        let auth_total = authenticated.total()?;
        let anonymous = tally_anonymous(site)?;
        let auth_item = format!("{} (authenticated)", site.name);
        let anon_item = format!("{} (anonymous)", site.name);

        if !ctx.customer_billed {
            let (rule, reason) = ctx.not_billed_reason(env, Meter::PowerPages);
            ledger.exclude(
                Meter::PowerPages,
                &auth_item,
                auth_total,
                UNIT,
                rule,
                reason.clone(),
            );
            ledger.exclude(
                Meter::PowerPages,
                &anon_item,
                anonymous.visitors,
                UNIT,
                rule,
                reason,
            );
            continue;
        }

        // PP-4: trial and private websites are on neither meter.
        if site.status != SiteStatus::Live {
            let mode = site.status.label().to_ascii_lowercase();
            let reason = format!(
                "{} is in {mode} mode; websites in trial or private mode are not counted on \
                 either Power Pages meter (PP-4).",
                site.name
            );
            ledger.exclude(
                Meter::PowerPages,
                &auth_item,
                auth_total,
                UNIT,
                "PP-4",
                reason.clone(),
            );
            ledger.exclude(
                Meter::PowerPages,
                &anon_item,
                anonymous.visitors,
                UNIT,
                "PP-4",
                reason,
            );
            continue;
        }

        // PP-2/PP-3: authenticated users.
        let mut counted = Decimal::ZERO;
        for (&licence, &n) in &authenticated.by_licence {
            match licence.pages_exemption() {
                Some(rule) => ledger.exclude(
                    Meter::PowerPages,
                    &auth_item,
                    n,
                    UNIT,
                    rule,
                    exemption_reason(rule, licence, n, &site.name),
                ),
                None => counted = money::add(counted, n)?,
            }
        }
        let price = ctx.prices.get(PriceKey::PagesAuthenticatedUser);
        let amount = money::round_cents(money::mul(counted, price.amount)?);
        ledger.charge(Charge {
            meter: Meter::PowerPages,
            item: &auth_item,
            quantity: counted,
            unit: UNIT,
            price_key: PriceKey::PagesAuthenticatedUser,
            price,
            payer: Payer::Customer,
            rule: "PP-2",
            explanation: format!(
                "{} logged in to {} this month (PP-1, PP-2): {} × {} = {}.",
                people(counted, "user", "users"),
                site.name,
                money::format_quantity(counted),
                money::format_unit_price(price.amount),
                money::format_usd(amount)
            ),
        })?;

        // PP-5/PP-6: anonymous visitors.
        // In clause order, then first seen (visitors come sorted by cookie id).
        for clause in Clause::ORDER {
            for &(_, earlier, n) in anonymous.excluded.iter().filter(|x| x.0 == clause) {
                ledger.exclude(
                    Meter::PowerPages,
                    &anon_item,
                    n,
                    UNIT,
                    clause.rule(),
                    clause.reason(n, &site.name, earlier),
                );
            }
        }
        let unmatched = unmatched_logins(&anonymous, auth_total);
        if !unmatched.is_zero() {
            ledger.note("PP-6e", unmatched_note(unmatched, &site.name, auth_total));
        }
        let mut cited = String::from("PP-1, PP-5, PP-6");
        if !anonymous.logged_in_other_day.is_zero() {
            let n = anonymous.logged_in_other_day;
            cited.push_str(&format!(
                "; {} of them logged in on a different UTC day, which does not remove them, PP-8",
                money::format_quantity(n)
            ));
            ledger.note(
                "PP-8",
                format!(
                    "Anonymous visitors of {} who logged in on a different UTC day than they \
                     browsed are counted on both meters; only a same-day login removes the \
                     anonymous count (PP-6e, PP-8).",
                    site.name
                ),
            );
        }
        let price = ctx.prices.get(PriceKey::PagesAnonymousUser);
        let amount = money::round_cents(money::mul(anonymous.billed, price.amount)?);
        ledger.charge(Charge {
            meter: Meter::PowerPages,
            item: &anon_item,
            quantity: anonymous.billed,
            unit: UNIT,
            price_key: PriceKey::PagesAnonymousUser,
            price,
            payer: Payer::Customer,
            rule: "PP-5",
            explanation: format!(
                "{} browsed {} this month ({cited}): {} × {} = {}.",
                people(anonymous.billed, "anonymous visitor", "anonymous visitors"),
                site.name,
                money::format_quantity(anonymous.billed),
                money::format_unit_price(price.amount),
                money::format_usd(amount)
            ),
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::price_book::{EffectivePrices, PriceBookId};
    use crate::engine::scenario::{NamedUser, UserGroup};
    use crate::engine::test_support::{
        self, Pricing, customer_total, excluded_quantity, named_users, unlicensed,
    };
    use rust_decimal::dec;
    use std::collections::BTreeMap;

    fn site(name: &str) -> Website {
        Website {
            name: name.to_string(),
            status: SiteStatus::Live,
            authenticated: Vec::new(),
            logged_in: Vec::new(),
            anonymous_visitors: 0,
            anonymous_exclusions: AnonymousExclusions::default(),
            anonymous_requests: Vec::new(),
        }
    }

    fn logged_in(mut site: Website, ids: &[&str]) -> Website {
        site.logged_in = ids.iter().map(|s| s.to_string()).collect();
        site
    }

    /// A browser request for a normal page that returned 200.
    fn page(visitor: &str, day: u8, path: &str) -> AnonymousRequest {
        AnonymousRequest {
            visitor: visitor.to_string(),
            day,
            path: path.to_string(),
            status: 200,
            static_resource: false,
            agent: UserAgent::Browser,
            logged_in_on_day: None,
        }
    }

    fn env_with(websites: Vec<Website>, users: Vec<NamedUser>) -> Environment {
        let mut env = Environment::new_payg("Production");
        env.websites = websites;
        env.users = users;
        env
    }

    fn run(env: &Environment) -> Ledger {
        test_support::ledger(price, env)
    }

    fn billed(ledger: &Ledger, key: PriceKey) -> Decimal {
        ledger
            .lines
            .iter()
            .filter(|l| l.price_key == key)
            .map(|l| l.quantity)
            .sum()
    }

    fn anonymous_billed(ledger: &Ledger) -> Decimal {
        billed(ledger, PriceKey::PagesAnonymousUser)
    }

    /// One website with the given anonymous requests.
    fn anonymous_env(requests: Vec<AnonymousRequest>) -> Environment {
        let mut s = site("Site A");
        s.anonymous_requests = requests;
        env_with(vec![s], Vec::new())
    }

    #[test]
    fn tc_pp_1_three_sites_nine_authenticated_users_bill_36() {
        let env = env_with(
            vec![
                logged_in(site("Site A"), &["U1", "U2"]),
                logged_in(site("Site B"), &["U3", "U4", "U5"]),
                logged_in(site("Site C"), &["U6", "U7", "U8", "U9"]),
            ],
            unlicensed(&["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]),
        );
        let ledger = run(&env);
        assert_eq!(customer_total(&ledger), dec!(36.00));
        assert_eq!(ledger.lines.len(), 3);
        assert_eq!(
            ledger.lines[0].explanation,
            "2 users logged in to Site A this month (PP-1, PP-2): 2 × $4.00 = $8.00."
        );
        assert_eq!(ledger.lines[0].item, "Site A (authenticated)");
        assert!(
            ledger
                .lines
                .iter()
                .all(|l| l.rule == "PP-2" && l.unit == UNIT)
        );
    }

    #[test]
    fn tc_pp_2_no_logins_bill_nothing() {
        // INC-5: the documentation prints month 2 as "0 x $0/active user/website"; the $0 is a
        // typo for the $4 list price. Zero users cost $0 at any price, and a zero quantity
        // produces no line, so this scenario needs no INC-5 note.
        let env = env_with(
            vec![site("Site A"), site("Site B"), site("Site C")],
            unlicensed(&["U1"]),
        );
        let ledger = run(&env);
        assert_eq!(customer_total(&ledger), dec!(0));
        assert!(ledger.lines.is_empty());
        assert!(ledger.exclusions.is_empty());
        let prices = EffectivePrices::new(PriceBookId::Seed2023.book(), &BTreeMap::new());
        assert_eq!(prices.get(PriceKey::PagesAuthenticatedUser).amount, dec!(4));
    }

    #[test]
    fn tc_pp_3_two_users_three_sites_bill_24() {
        let both = ["U1", "U2"];
        let env = env_with(
            vec![
                logged_in(site("Site A"), &both),
                logged_in(site("Site B"), &both),
                logged_in(site("Site C"), &both),
            ],
            unlicensed(&both),
        );
        assert_eq!(customer_total(&run(&env)), dec!(24.00));
    }

    #[test]
    fn pp2_repeat_logins_count_once_per_website_and_groups_add_up() {
        let mut s = logged_in(site("Site A"), &["U1", "U1", "U2", "U1"]);
        s.authenticated = vec![UserGroup {
            users: 10,
            licence: Licence::Microsoft365,
        }];
        let ledger = run(&env_with(vec![s], unlicensed(&["U1", "U2"])));
        assert_eq!(billed(&ledger, PriceKey::PagesAuthenticatedUser), dec!(12));
        assert_eq!(customer_total(&ledger), dec!(48.00));
    }

    #[test]
    fn pp2_unknown_id_is_counted_unlicensed_with_a_note() {
        let ledger = run(&env_with(
            vec![logged_in(site("Site A"), &["ghost"])],
            Vec::new(),
        ));
        assert_eq!(customer_total(&ledger), dec!(4.00));
        assert!(ledger.notes.iter().any(|n| n.rule == "PP-2"));
    }

    #[test]
    fn pp3_per_user_and_dynamics_licences_not_counted() {
        let env = env_with(
            vec![logged_in(site("Site A"), &["P1", "D1", "T1", "X1"])],
            [
                named_users(&["P1"], Licence::PowerAppsPerUser),
                named_users(&["D1"], Licence::Dynamics365),
                named_users(&["T1"], Licence::Dynamics365TeamMember),
                named_users(&["X1"], Licence::PowerAppsPerApp),
            ]
            .concat(),
        );
        let ledger = run(&env);
        assert_eq!(excluded_quantity(&ledger, "PP-3"), dec!(2));
        assert_eq!(billed(&ledger, PriceKey::PagesAuthenticatedUser), dec!(2));
        assert_eq!(customer_total(&ledger), dec!(8.00));
    }

    #[test]
    fn pp4_trial_and_private_sites_are_on_neither_meter() {
        let mut trial = logged_in(site("Trial site"), &["U1"]);
        trial.status = SiteStatus::Trial;
        trial.anonymous_visitors = 100;
        let mut private = site("Private site");
        private.status = SiteStatus::Private;
        private.anonymous_requests = vec![page("v1", 1, "/")];
        let ledger = run(&env_with(vec![trial, private], unlicensed(&["U1"])));
        assert_eq!(customer_total(&ledger), dec!(0));
        assert_eq!(excluded_quantity(&ledger, "PP-4"), dec!(102));
        assert_eq!(ledger.exclusions.len(), 3);
    }

    #[test]
    fn pp5_anonymous_visitors_count_once_per_cookie_and_quick_counts_add() {
        let mut s = site("Site A");
        s.anonymous_visitors = 100;
        s.anonymous_requests = vec![
            page("v1", 1, "/"),
            page("v1", 2, "/products"),
            page("v2", 3, "/"),
        ];
        let ledger = run(&env_with(vec![s], Vec::new()));
        assert_eq!(anonymous_billed(&ledger), dec!(102));
        assert_eq!(customer_total(&ledger), dec!(30.60));
        assert_eq!(
            ledger.lines[0].explanation,
            "102 anonymous visitors browsed Site A this month (PP-1, PP-5, PP-6): \
             102 × $0.30 = $30.60."
        );
    }

    #[test]
    fn pp6a_authentication_pages_only_are_not_counted() {
        let ledger = run(&anonymous_env(vec![
            page("v1", 1, "/SignIn?returnUrl=%2F"),
            page("v1", 1, "/Register"),
            page(
                "v2",
                1,
                "/en-US/Account/Login/ExternalAuthenticationCallback",
            ),
            page("v3", 1, "/signin-openid_1"),
            page("v4", 1, "/registered-events"),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PP-6a"), dec!(3));
        assert_eq!(anonymous_billed(&ledger), dec!(1));
        assert!(is_auth_page("/Invitation"));
        assert!(is_auth_page("/externalauthenticationcallback/"));
        assert!(!is_auth_page("/signing-up-guide"));
    }

    #[test]
    fn pp6b_underscore_paths_only_are_not_counted() {
        let ledger = run(&anonymous_env(vec![
            page("monitor-ish", 1, "/_services/about"),
            page("v2", 1, "/_resource/x"),
            page("v2", 1, "/home"),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PP-6b"), dec!(1));
        assert_eq!(anonymous_billed(&ledger), dec!(1));
    }

    #[test]
    fn pp6c_only_when_all_requests_are_3xx_4xx_5xx() {
        let status = |visitor: &str, status: u16| AnonymousRequest {
            status,
            ..page(visitor, 1, "/home")
        };
        let ledger = run(&anonymous_env(vec![
            status("v1", 302),
            status("v1", 404),
            status("v1", 503),
            status("v2", 404),
            status("v2", 200),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PP-6c"), dec!(1));
        assert_eq!(anonymous_billed(&ledger), dec!(1));
    }

    #[test]
    fn pp6d_static_resources_only_are_not_counted() {
        let asset = |visitor: &str| AnonymousRequest {
            static_resource: true,
            ..page(visitor, 1, "/theme.css")
        };
        let ledger = run(&anonymous_env(vec![
            asset("v1"),
            asset("v2"),
            page("v2", 1, "/"),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PP-6d"), dec!(1));
        assert_eq!(anonymous_billed(&ledger), dec!(1));
    }

    /// The exclusions of a ledger as (rule, reason).
    fn reasons(ledger: &Ledger) -> Vec<(&'static str, String)> {
        ledger
            .exclusions
            .iter()
            .map(|x| (x.rule, x.reason.clone()))
            .collect()
    }

    #[test]
    fn pp6d_a_static_path_is_excluded_without_the_flag() {
        let ledger = run(&anonymous_env(vec![
            page("css", 1, "/theme.css"),
            page("font", 1, "/fonts/Segoe.WOFF2?v=3"),
            page("image", 1, "/en-US/logo.png#top"),
            page("script", 1, "/js/app.min.js"),
            // Pages: a dot in a folder, no extension, a dot file, an unknown extension.
            page("folder", 1, "/v1.2/products"),
            page("plain", 1, "/products"),
            page("dotfile", 1, "/.css"),
            page("aspx", 1, "/page.aspx"),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PP-6d"), dec!(4));
        assert_eq!(anonymous_billed(&ledger), dec!(4));
        assert!(is_static_path("/a/b/c.SVG"));
        assert!(!is_static_path("/theme.css/edit"));
    }

    #[test]
    fn pp6_reason_names_the_clause_that_applied() {
        // One 500 page and one static 200 request: PP-6c removes the page, PP-6d the rest.
        let error = AnonymousRequest {
            status: 500,
            ..page("v1", 1, "/orders")
        };
        let ledger = run(&anonymous_env(vec![error, page("v1", 1, "/theme.css")]));
        assert_eq!(anonymous_billed(&ledger), dec!(0));
        assert_eq!(
            reasons(&ledger),
            [(
                "PP-6d",
                "1 anonymous visitor of Site A only fetched static resources (CSS, JavaScript, \
                 images, fonts), which are not counted (PP-6d); their other requests got \
                 redirect or error responses (PP-6c)."
                    .to_string()
            )]
        );
    }

    #[test]
    fn pp6_a_single_clause_reason_mentions_no_other_requests() {
        let ledger = run(&anonymous_env(vec![
            page("a", 1, "/signin"),
            page("b", 1, "/_services/about"),
            AnonymousRequest {
                status: 404,
                ..page("c", 1, "/gone")
            },
            page("d", 1, "/site.css"),
            AnonymousRequest {
                agent: UserAgent::Bot,
                ..page("f", 1, "/")
            },
            AnonymousRequest {
                agent: UserAgent::Monitor,
                ..page("g", 1, "/")
            },
        ]));
        let found = reasons(&ledger);
        assert_eq!(
            found.iter().map(|(rule, _)| *rule).collect::<Vec<_>>(),
            ["PP-6f", "PP-6g", "PP-6a", "PP-6b", "PP-6c", "PP-6d"]
        );
        assert!(found.iter().all(|(_, r)| !r.contains("other requests")));
    }

    #[test]
    fn pp6_mixed_visitors_are_told_every_clause_that_removed_their_requests() {
        let ledger = run(&anonymous_env(vec![
            // Sign-in page, then /_services: PP-6b applied last.
            page("v1", 1, "/signin"),
            page("v1", 1, "/_services/about"),
            // A bot request, a redirect and a stylesheet: PP-6d last, after PP-6f and PP-6c.
            AnonymousRequest {
                agent: UserAgent::Bot,
                ..page("v2", 1, "/")
            },
            AnonymousRequest {
                status: 302,
                ..page("v2", 1, "/old")
            },
            page("v2", 1, "/site.css"),
            // A plain static visitor is a line of its own: its reason stays short.
            page("v3", 1, "/site.css"),
        ]));
        let found = reasons(&ledger);
        assert_eq!(found.len(), 3);
        assert!(
            found.contains(&(
                "PP-6b",
                "1 anonymous visitor of Site A only requested paths starting with /_ (such as \
             /_services/about), which are not counted (PP-6b); their other requests were \
             authentication pages (PP-6a)."
                    .to_string()
            ))
        );
        assert!(found.iter().any(|(rule, r)| *rule == "PP-6d"
            && r.ends_with(
                "their other requests came from a bot (PP-6f) or got redirect or error \
                 responses (PP-6c)."
            )));
        assert!(
            found
                .iter()
                .any(|(rule, r)| *rule == "PP-6d" && !r.contains("other requests"))
        );
        assert_eq!(excluded_quantity(&ledger, "PP-6d"), dec!(2));
    }

    #[test]
    fn pp6e_login_without_an_authenticated_record_is_noted() {
        let same_day = |visitor: &str| AnonymousRequest {
            logged_in_on_day: Some(5),
            ..page(visitor, 5, "/orders")
        };
        // No authenticated user on record: the login is on neither meter, and the note says so.
        let ledger = run(&anonymous_env(vec![same_day("v1")]));
        assert_eq!(customer_total(&ledger), dec!(0));
        assert_eq!(excluded_quantity(&ledger, "PP-6e"), dec!(1));
        let note: Vec<&str> = ledger
            .notes
            .iter()
            .filter(|n| n.rule == "PP-6e")
            .map(|n| n.text.as_str())
            .collect();
        assert_eq!(
            note,
            [
                "Anonymous visitors of Site A who logged in on the day they browsed are left out \
                 of the anonymous meter (PP-6e), but Site A has 0 authenticated users on record, \
                 1 fewer than those visitors: those logins are billed on neither meter. Add them \
                 to the website's authenticated users (PP-2) if they logged in."
            ]
        );

        // One named login on record matches the one visitor: no note.
        let mut s = logged_in(site("Site A"), &["U1"]);
        s.anonymous_requests = vec![same_day("v1")];
        let ledger = run(&env_with(vec![s], unlicensed(&["U1"])));
        assert!(ledger.notes.iter().all(|n| n.rule != "PP-6e"));
        assert_eq!(customer_total(&ledger), dec!(4.00));
    }

    #[test]
    fn pp6e_quick_counts_beyond_the_authenticated_users_are_noted() {
        let mut s = site("Site A");
        s.anonymous_visitors = 10;
        s.anonymous_exclusions.logged_in_same_day = 5;
        s.authenticated = vec![UserGroup {
            users: 2,
            licence: Licence::PowerAppsPerUser,
        }];
        let ledger = run(&env_with(vec![s], Vec::new()));
        assert!(ledger.notes.iter().any(|n| {
            n.rule == "PP-6e"
                && n.text
                    .contains("Site A has 2 authenticated users on record, 3 fewer than")
        }));
    }

    #[test]
    fn pp6e_same_day_login_counts_only_as_authenticated() {
        let browsed_then_logged_in = |day: u8, login: u8| AnonymousRequest {
            logged_in_on_day: Some(login),
            ..page("v1", day, "/home")
        };
        let ledger = run(&anonymous_env(vec![
            browsed_then_logged_in(5, 5),
            browsed_then_logged_in(5, 5),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PP-6e"), dec!(1));
        assert_eq!(anonymous_billed(&ledger), dec!(0));
        assert!(ledger.lines.is_empty());
    }

    #[test]
    fn pp6f_bots_are_not_counted() {
        let bot = |visitor: &str| AnonymousRequest {
            agent: UserAgent::Bot,
            ..page(visitor, 1, "/")
        };
        let ledger = run(&anonymous_env(vec![
            bot("crawler"),
            bot("mixed"),
            page("mixed", 1, "/"),
        ]));
        assert_eq!(excluded_quantity(&ledger, "PP-6f"), dec!(1));
        assert_eq!(anonymous_billed(&ledger), dec!(1));
    }

    #[test]
    fn pp6g_non_browser_monitors_are_not_counted() {
        let monitor = AnonymousRequest {
            agent: UserAgent::Monitor,
            ..page("probe", 1, "/")
        };
        let ledger = run(&anonymous_env(vec![monitor]));
        assert_eq!(excluded_quantity(&ledger, "PP-6g"), dec!(1));
        assert_eq!(anonymous_billed(&ledger), dec!(0));
    }

    #[test]
    fn pp6_clauses_apply_to_what_earlier_clauses_left() {
        // Neither request is billable, though neither clause covers both requests alone.
        let ledger = run(&anonymous_env(vec![
            page("v1", 1, "/signin"),
            page("v1", 1, "/_services/about"),
        ]));
        assert_eq!(anonymous_billed(&ledger), dec!(0));
        assert_eq!(excluded_quantity(&ledger, "PP-6b"), dec!(1));
    }

    #[test]
    fn pp6_quick_exclusions_are_recorded_per_clause() {
        let mut s = site("Site A");
        s.anonymous_visitors = 100;
        s.anonymous_exclusions = AnonymousExclusions {
            auth_pages_only: 1,
            underscore_paths_only: 2,
            error_or_redirect_only: 3,
            static_only: 4,
            bots: 5,
            monitors: 6,
            logged_in_same_day: 7,
        };
        let ledger = run(&env_with(vec![s], Vec::new()));
        for (rule, n) in [
            ("PP-6a", 1),
            ("PP-6b", 2),
            ("PP-6c", 3),
            ("PP-6d", 4),
            ("PP-6f", 5),
            ("PP-6g", 6),
            ("PP-6e", 7),
        ] {
            assert_eq!(excluded_quantity(&ledger, rule), Decimal::from(n), "{rule}");
        }
        assert_eq!(anonymous_billed(&ledger), dec!(72));
        assert_eq!(customer_total(&ledger), dec!(21.60));
    }

    #[test]
    fn pp6_quick_exclusions_above_visitors_saturate_at_zero() {
        let mut s = site("Site A");
        s.anonymous_visitors = 10;
        s.anonymous_exclusions.bots = 8;
        s.anonymous_exclusions.auth_pages_only = u64::MAX;
        let ledger = run(&env_with(vec![s], Vec::new()));
        assert_eq!(anonymous_billed(&ledger), dec!(0));
        assert_eq!(excluded_quantity(&ledger, "PP-6f"), dec!(8));
        assert_eq!(excluded_quantity(&ledger, "PP-6a"), dec!(2));
    }

    #[test]
    fn pp8_login_on_another_day_counts_on_both_meters() {
        let mut s = logged_in(site("Site A"), &["U1"]);
        s.anonymous_requests = vec![
            AnonymousRequest {
                logged_in_on_day: Some(6),
                ..page("v1", 5, "/home")
            },
            AnonymousRequest {
                logged_in_on_day: Some(6),
                ..page("v1", 6, "/home")
            },
        ];
        let ledger = run(&env_with(vec![s], unlicensed(&["U1"])));
        assert_eq!(billed(&ledger, PriceKey::PagesAuthenticatedUser), dec!(1));
        assert_eq!(anonymous_billed(&ledger), dec!(1));
        assert_eq!(customer_total(&ledger), dec!(4.30));
        assert!(ledger.notes.iter().any(|n| n.rule == "PP-8"));
        assert!(ledger.lines[1].explanation.contains("PP-8"));
    }

    #[test]
    fn g1_not_billed_environment_excludes_each_meter_of_each_site() {
        let mut s = logged_in(site("Site A"), &["U1"]);
        s.anonymous_visitors = 40;
        let mut env = env_with(vec![s, site("Empty")], unlicensed(&["U1"]));
        env.payg = false;
        let ledger = Pricing::not_billed().ledger(price, &env);
        assert!(ledger.lines.is_empty());
        assert_eq!(ledger.exclusions.len(), 2);
        assert!(ledger.exclusions.iter().all(|e| e.rule == "G-1"));
        assert_eq!(excluded_quantity(&ledger, "G-1"), dec!(41));
    }

    #[test]
    fn huge_counts_do_not_panic() {
        let mut s = site("Site A");
        s.anonymous_visitors = u64::MAX;
        s.anonymous_exclusions.bots = u64::MAX;
        s.authenticated = vec![
            UserGroup {
                users: u64::MAX,
                licence: Licence::None,
            },
            UserGroup {
                users: u64::MAX,
                licence: Licence::None,
            },
        ];
        let env = env_with(vec![s], Vec::new());
        let ledger = run(&env);
        assert_eq!(excluded_quantity(&ledger, "PP-6f"), money::count(u64::MAX));
        let huge_price = Pricing {
            overrides: BTreeMap::from([(PriceKey::PagesAuthenticatedUser, Decimal::MAX)]),
            ..Pricing::default()
        };
        assert_eq!(huge_price.price(price, &env).err(), Some(Overflow));
    }
}
