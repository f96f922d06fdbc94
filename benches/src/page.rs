//! The benchmark's input: one page of 1,000 `microsoft.graph.user` values as Microsoft Graph
//! answers `GET /users?$expand=memberOf`, built from a seeded generator (the same bytes on every
//! run and machine).
//!
//! Every structural property of `user` has a value, as `$select` of all of them would give:
//! strings, Booleans, dates, GUIDs, string collections, complex values (`passwordProfile`,
//! `employeeOrgData`, `onPremisesExtensionAttributes`), collections of complex values
//! (`assignedLicenses`, `assignedPlans`, `identities`, ...), and `mailboxSettings` with complex
//! values nested two deep, enums and times of day. Some properties are `null` as in real data
//! (`deletedDateTime`, most extension attributes, `passwordProfile.password`, `faxNumber` for
//! some users). `memberOf` holds 3 to 5 directory objects tagged with `@odata.type`: groups
//! (with the properties Graph returns by default) and directory roles.

use serde_json::{Map, Value, json};

/// Users on the page.
pub const USERS: usize = 1000;

/// SplitMix64: a small deterministic generator (no clock, no OS randomness).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
    /// A UTC instant between 2015 and 2024, as Graph writes them (`2021-03-04T10:22:31Z`).
    fn instant(&mut self) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            2015 + self.below(10),
            1 + self.below(12),
            1 + self.below(28),
            self.below(24),
            self.below(60),
            self.below(60)
        )
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

const GIVEN: &[&str] = &[
    "Adele",
    "Alex",
    "Allan",
    "Debra",
    "Diego",
    "Emily",
    "Grady",
    "Henrietta",
    "Isaiah",
    "Johanna",
    "Joni",
    "Lee",
    "Lidia",
    "Lynne",
    "Megan",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Sakura",
];
const SUR: &[&str] = &[
    "Vance",
    "Wilber",
    "Deyoung",
    "Berger",
    "Siciliani",
    "Braun",
    "Archie",
    "Mueller",
    "Langer",
    "Lanier",
    "Sherman",
    "Gu",
    "Holloway",
    "Robichaux",
    "Bowen",
    "Graham",
    "Wilke",
    "Fernandez",
    "Gupta",
    "Tanaka",
];
const DEPARTMENTS: &[&str] = &[
    "Sales & Marketing",
    "Retail",
    "Operations",
    "Human Resources",
    "Finance",
    "Legal",
    "Engineering",
    "Research & Development",
];
const TITLES: &[&str] = &[
    "Retail Manager",
    "Marketing Assistant",
    "Product Manager",
    "Senior Engineer",
    "Director",
    "Paralegal",
    "Accountant",
    "Designer",
];
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("Redmond", "WA", "98052", "United States"),
    ("Bellevue", "WA", "98004", "United States"),
    ("Seattle", "WA", "98101", "United States"),
    ("Charlotte", "NC", "28210", "United States"),
    ("Tokyo", "Tokyo", "100-0005", "Japan"),
    ("Munich", "Bavaria", "80331", "Germany"),
];
const SERVICES: &[&str] = &[
    "exchange",
    "SharePoint",
    "MicrosoftCommunicationsOnline",
    "TeamspaceAPI",
    "ProjectWorkManagement",
    "YammerEnterprise",
    "Sway",
    "OfficeForms",
];
const SKILLS: &[&str] = &[
    "Rust",
    "negotiation",
    "public speaking",
    "SQL",
    "forecasting",
    "design thinking",
    "contract law",
];
const DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

fn put(m: &mut Map<String, Value>, k: &str, v: impl Into<Value>) {
    m.insert(k.to_owned(), v.into());
}

fn strings(n: usize, mut f: impl FnMut(usize) -> String) -> Value {
    Value::Array((0..n).map(|i| Value::String(f(i))).collect())
}

fn group(r: &mut Rng, k: usize) -> Value {
    let name = format!(
        "{} {}",
        r.pick(DEPARTMENTS),
        ["Team", "Leads", "All", "Project"][k % 4]
    );
    let nick = name.replace([' ', '&'], "");
    let dynamic = r.chance(30);
    let unified = r.chance(60);
    json!({
        "@odata.type": "#microsoft.graph.group",
        "id": r.guid(),
        "deletedDateTime": null,
        "classification": if r.chance(50) { Value::from("Internal") } else { Value::Null },
        "createdDateTime": r.instant(),
        "description": format!("{name}: everyone working on it"),
        "displayName": name,
        "expirationDateTime": null,
        "groupTypes": if unified { json!(["Unified"]) } else { json!([]) },
        "isAssignableToRole": false,
        "mail": format!("{nick}@contoso.com"),
        "mailEnabled": unified,
        "mailNickname": nick,
        "membershipRule": if dynamic { Value::from("user.department -eq \"Retail\"") } else { Value::Null },
        "membershipRuleProcessingState": if dynamic { Value::from("On") } else { Value::Null },
        "onPremisesDomainName": null,
        "onPremisesLastSyncDateTime": null,
        "onPremisesNetBiosName": null,
        "onPremisesProvisioningErrors": [],
        "onPremisesSamAccountName": null,
        "onPremisesSecurityIdentifier": null,
        "onPremisesSyncEnabled": null,
        "preferredDataLocation": null,
        "preferredLanguage": null,
        "proxyAddresses": [format!("SMTP:{nick}@contoso.com"), format!("SPO:SPO_{}@SPO_{}", r.guid(), r.guid())],
        "renewedDateTime": r.instant(),
        "securityEnabled": !unified,
        "securityIdentifier": format!("S-1-12-1-{}-{}-{}-{}", r.digits(10), r.digits(10), r.digits(9), r.digits(10)),
        "theme": null,
        "visibility": if unified { Value::from("Public") } else { Value::Null }
    })
}

fn directory_role(r: &mut Rng) -> Value {
    let (name, what) = [
        (
            "Global Reader",
            "Can read everything that a Global Administrator can, but not update anything.",
        ),
        (
            "User Administrator",
            "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
        ),
        (
            "Helpdesk Administrator",
            "Can reset passwords for non-administrators and Helpdesk Administrators.",
        ),
    ][r.below(3)];
    json!({
        "@odata.type": "#microsoft.graph.directoryRole",
        "id": r.guid(),
        "deletedDateTime": null,
        "description": what,
        "displayName": name,
        "roleTemplateId": r.guid()
    })
}

fn user(r: &mut Rng, i: usize) -> Value {
    let given = r.pick(GIVEN);
    let sur = r.pick(SUR);
    let display = format!("{given} {sur}");
    let nick = format!("{given}{}{i}", &sur[..1]);
    let upn = format!("{nick}@contoso.onmicrosoft.com");
    let mail = format!("{nick}@contoso.com");
    let (city, state, zip, country) = CITIES[r.below(CITIES.len())];
    let guest = r.chance(10);
    let synced = r.chance(60);
    let sku = r.guid();
    let mut u = Map::new();
    put(&mut u, "id", r.guid());
    put(&mut u, "deletedDateTime", Value::Null);
    put(
        &mut u,
        "aboutMe",
        format!(
            "{display} has been with Contoso since {}.",
            2010 + r.below(14)
        ),
    );
    put(&mut u, "accountEnabled", !r.chance(5));
    put(&mut u, "ageGroup", "Adult");
    let licenses: Vec<Value> = (0..1 + r.below(3))
        .map(|k| {
            let disabled: Vec<String> = (0..r.below(3)).map(|_| r.guid()).collect();
            json!({"disabledPlans": disabled, "skuId": if k == 0 { sku.clone() } else { r.guid() }})
        })
        .collect();
    put(&mut u, "assignedLicenses", licenses);
    let plans: Vec<Value> = (0..3 + r.below(6))
        .map(|_| {
            json!({
                "assignedDateTime": r.instant(),
                "capabilityStatus": if r.chance(85) { "Enabled" } else { "Deleted" },
                "service": r.pick(SERVICES),
                "servicePlanId": r.guid()
            })
        })
        .collect();
    put(&mut u, "assignedPlans", plans);
    put(
        &mut u,
        "birthday",
        format!(
            "19{}-{:02}-{:02}T00:00:00Z",
            60 + r.below(40),
            1 + r.below(12),
            1 + r.below(28)
        ),
    );
    put(
        &mut u,
        "businessPhones",
        strings(1, |_| format!("+1 425 555 {}", r.digits(4))),
    );
    put(&mut u, "city", city);
    put(&mut u, "companyName", "Contoso Ltd");
    put(&mut u, "consentProvidedForMinor", "NotRequired");
    put(&mut u, "country", country);
    put(&mut u, "createdDateTime", r.instant());
    put(
        &mut u,
        "creationType",
        if guest {
            Value::from("Invitation")
        } else {
            Value::Null
        },
    );
    let department = r.pick(DEPARTMENTS);
    put(&mut u, "department", department);
    put(&mut u, "displayName", display.clone());
    put(&mut u, "employeeHireDate", r.instant());
    put(&mut u, "employeeId", r.digits(6));
    put(
        &mut u,
        "employeeOrgData",
        json!({"costCenter": format!("CC-{}", r.digits(4)), "division": department}),
    );
    put(
        &mut u,
        "employeeType",
        if guest { "Contractor" } else { "Employee" },
    );
    put(
        &mut u,
        "externalUserState",
        if guest {
            Value::from("Accepted")
        } else {
            Value::Null
        },
    );
    put(
        &mut u,
        "externalUserStateChangeDateTime",
        if guest {
            Value::from(r.instant())
        } else {
            Value::Null
        },
    );
    put(
        &mut u,
        "faxNumber",
        if r.chance(20) {
            Value::from(format!("+1 425 555 {}", r.digits(4)))
        } else {
            Value::Null
        },
    );
    put(&mut u, "givenName", given);
    put(&mut u, "hireDate", r.instant());
    put(
        &mut u,
        "identities",
        json!([
            {"issuer": "contoso.onmicrosoft.com", "issuerAssignedId": upn, "signInType": "userPrincipalName"}
        ]),
    );
    put(&mut u, "imAddresses", strings(1, |_| format!("sip:{mail}")));
    put(
        &mut u,
        "interests",
        strings(r.below(4), |_| {
            r.pick(&["hiking", "chess", "cooking", "cycling", "photography"])
                .to_owned()
        }),
    );
    put(&mut u, "isResourceAccount", false);
    put(&mut u, "jobTitle", r.pick(TITLES));
    put(&mut u, "lastPasswordChangeDateTime", r.instant());
    put(&mut u, "legalAgeGroupClassification", "Adult");
    put(
        &mut u,
        "licenseAssignmentStates",
        json!([{
            "assignedByGroup": if r.chance(50) { Value::from(r.guid()) } else { Value::Null },
            "disabledPlans": [],
            "error": "None",
            "lastUpdatedDateTime": r.instant(),
            "skuId": sku,
            "state": "Active"
        }]),
    );
    put(&mut u, "mail", mail.clone());
    let audience = ["none", "contactsOnly", "all"][r.below(3)];
    let replies = ["disabled", "alwaysEnabled", "scheduled"][r.below(3)];
    let days = &DAYS[..5 + r.below(2)];
    put(
        &mut u,
        "mailboxSettings",
        json!({
            "archiveFolder": format!("AAMkAGI2TG93AAA{}=", r.digits(12)),
            "automaticRepliesSetting": {
                "externalAudience": audience,
                "externalReplyMessage": "",
                "internalReplyMessage": format!("{given} is out of the office."),
                "scheduledEndDateTime": {"dateTime": "2024-03-22T17:00:00.0000000", "timeZone": "UTC"},
                "scheduledStartDateTime": {"dateTime": "2024-03-18T08:00:00.0000000", "timeZone": "UTC"},
                "status": replies
            },
            "dateFormat": "MM/dd/yyyy",
            "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
            "language": {"displayName": "English (United States)", "locale": "en-US"},
            "timeFormat": "hh:mm tt",
            "timeZone": "Pacific Standard Time",
            "userPurpose": "user",
            "workingHours": {
                "daysOfWeek": days,
                "endTime": "17:00:00.0000000",
                "startTime": "08:00:00.0000000",
                "timeZone": {"name": "Pacific Standard Time"}
            }
        }),
    );
    put(&mut u, "mailNickname", nick.clone());
    put(&mut u, "mobilePhone", format!("+1 206 555 {}", r.digits(4)));
    put(
        &mut u,
        "mySite",
        format!(
            "https://contoso-my.sharepoint.com/personal/{}",
            nick.to_lowercase()
        ),
    );
    put(
        &mut u,
        "officeLocation",
        format!("{}/{}", 10 + r.below(90), 1000 + r.below(9000)),
    );
    let on_prem = |v: String| if synced { Value::from(v) } else { Value::Null };
    put(
        &mut u,
        "onPremisesDistinguishedName",
        on_prem(format!("CN={display},OU={department},DC=contoso,DC=com")),
    );
    put(
        &mut u,
        "onPremisesDomainName",
        on_prem("contoso.com".into()),
    );
    // In the order the schema declares them (`extensionAttribute1`, `10`, ..., `15`, `2`, ...).
    let mut attrs: Vec<(String, Value)> = (1..=15)
        .map(|k| {
            let v = if k <= 5 {
                Value::from(format!("attr{k}-{}", r.digits(5)))
            } else {
                Value::Null
            };
            (format!("extensionAttribute{k}"), v)
        })
        .collect();
    attrs.sort_by(|a, b| a.0.cmp(&b.0));
    let attrs: Map<String, Value> = attrs.into_iter().collect();
    put(&mut u, "onPremisesExtensionAttributes", attrs);
    put(
        &mut u,
        "onPremisesImmutableId",
        on_prem(format!("{}Q==", r.digits(18))),
    );
    put(&mut u, "onPremisesLastSyncDateTime", on_prem(r.instant()));
    put(&mut u, "onPremisesProvisioningErrors", json!([]));
    put(
        &mut u,
        "onPremisesSamAccountName",
        on_prem(nick.to_lowercase()),
    );
    put(
        &mut u,
        "onPremisesSecurityIdentifier",
        on_prem(format!(
            "S-1-5-21-{}-{}-{}-{}",
            r.digits(10),
            r.digits(9),
            r.digits(10),
            r.digits(4)
        )),
    );
    put(
        &mut u,
        "onPremisesSyncEnabled",
        if synced {
            Value::from(true)
        } else {
            Value::Null
        },
    );
    put(
        &mut u,
        "onPremisesUserPrincipalName",
        on_prem(format!("{nick}@contoso.com")),
    );
    put(
        &mut u,
        "otherMails",
        strings(r.below(3), |k| {
            format!("{}.{k}@example.org", nick.to_lowercase())
        }),
    );
    put(&mut u, "passwordPolicies", "DisablePasswordExpiration");
    put(
        &mut u,
        "passwordProfile",
        json!({
            "forceChangePasswordNextSignIn": r.chance(10),
            "forceChangePasswordNextSignInWithMfa": false,
            "password": null
        }),
    );
    put(
        &mut u,
        "pastProjects",
        strings(r.below(4), |k| {
            format!("Project {}", ["Falcon", "Mercury", "Atlas", "Orion"][k])
        }),
    );
    put(&mut u, "postalCode", zip);
    put(&mut u, "preferredDataLocation", "NAM");
    put(&mut u, "preferredLanguage", "en-US");
    put(&mut u, "preferredName", given);
    let provisioned: Vec<Value> = (0..2 + r.below(4))
        .map(|_| json!({"capabilityStatus": "Enabled", "provisioningStatus": "Success", "service": r.pick(SERVICES)}))
        .collect();
    put(&mut u, "provisionedPlans", provisioned);
    put(
        &mut u,
        "proxyAddresses",
        json!([
            format!("SMTP:{mail}"),
            format!("smtp:{nick}@contoso.onmicrosoft.com")
        ]),
    );
    put(
        &mut u,
        "responsibilities",
        strings(r.below(3), |k| {
            ["hiring", "budget", "on-call", "training"][k].to_owned()
        }),
    );
    put(
        &mut u,
        "schools",
        strings(r.below(2), |_| "University of Washington".to_owned()),
    );
    put(
        &mut u,
        "securityIdentifier",
        format!(
            "S-1-12-1-{}-{}-{}-{}",
            r.digits(10),
            r.digits(10),
            r.digits(9),
            r.digits(10)
        ),
    );
    put(&mut u, "showInAddressList", true);
    put(&mut u, "signInSessionsValidFromDateTime", r.instant());
    put(
        &mut u,
        "skills",
        strings(1 + r.below(3), |_| r.pick(SKILLS).to_owned()),
    );
    put(&mut u, "state", state);
    put(
        &mut u,
        "streetAddress",
        format!("{} Microsoft Way", 1 + r.below(9999)),
    );
    put(&mut u, "surname", sur);
    put(&mut u, "usageLocation", "US");
    put(&mut u, "userPrincipalName", upn);
    put(&mut u, "userType", if guest { "Guest" } else { "Member" });
    let member_of: Vec<Value> = (0..3 + r.below(3))
        .map(|k| {
            if r.chance(20) {
                directory_role(r)
            } else {
                group(r, k)
            }
        })
        .collect();
    put(&mut u, "memberOf", member_of);
    Value::Object(u)
}

/// The page as a JSON tree (keys in the order written).
pub fn page_value() -> Value {
    let mut r = Rng::new(14);
    let users: Vec<Value> = (0..USERS).map(|i| user(&mut r, i)).collect();
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(memberOf())",
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$expand=memberOf&$skiptoken=RFNwdAIAAQAAAD8=",
        "value": users
    })
}

/// The page as JSON text, as the service sends it (compact).
pub fn page_bytes() -> Vec<u8> {
    serde_json::to_vec(&page_value()).expect("a JSON tree is writable")
}
