//! The baseline: plain `#[derive(Serialize, Deserialize)]` structs of the same shape as the
//! generated types, written for the benchmark as one would by hand.
//!
//! Every property is an `Option` (`null` and absent read as `None`, `None` is not written),
//! names are camelCase by `rename_all`, the polymorphic `memberOf` items are an internally
//! tagged enum on `@odata.type`, enums are derived unit enums. Leaf values use the runtime's
//! primitive types (`DateTimeOffset`, `Guid`, `TimeOfDay`) so that both sides parse the same
//! leaves and the comparison is about the structures. Unlike the generated types they keep
//! nothing else: no explicit `null`s, unknown properties or annotations, no change tracking.

use odata_runtime::{DateTimeOffset, Guid, TimeOfDay};
use serde::{Deserialize, Serialize};

/// Structs whose fields are all `Option`s, left out when `None`.
macro_rules! dto {
    ($(pub struct $name:ident { $($field:ident: $ty:ty,)* })*) => {$(
        #[allow(missing_docs)]
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    )*};
}

/// Unit enums with camelCase members.
macro_rules! unit_enum {
    ($(pub enum $name:ident { $($member:ident,)* })*) => {$(
        #[allow(missing_docs)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub enum $name { $($member,)* }
    )*};
}

/// A page of a collection, as Graph sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// `@odata.context`.
    #[serde(rename = "@odata.context", skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `@odata.nextLink`.
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// The items.
    pub value: Vec<T>,
}

/// `microsoft.graph.directoryObject` or a derived type, by `@odata.type`.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "@odata.type")]
pub enum AnyDirectoryObject {
    #[serde(rename = "#microsoft.graph.group")]
    Group(Box<Group>),
    #[serde(rename = "#microsoft.graph.directoryRole")]
    DirectoryRole(Box<DirectoryRole>),
    #[serde(rename = "#microsoft.graph.user")]
    User(Box<User>),
}

unit_enum! {
    pub enum DayOfWeek { Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, }
    pub enum ExternalAudienceScope { None, ContactsOnly, All, }
    pub enum AutomaticRepliesStatus { Disabled, AlwaysEnabled, Scheduled, }
    pub enum DelegateMeetingMessageDeliveryOptions {
        SendToDelegateAndInformationToPrincipal,
        SendToDelegateAndPrincipal,
        SendToDelegateOnly,
    }
    pub enum UserPurpose { User, Linked, Shared, Room, Equipment, Others, UnknownFutureValue, }
}

dto! {
    pub struct User {
        id: String,
        deleted_date_time: DateTimeOffset,
        about_me: String,
        account_enabled: bool,
        age_group: String,
        assigned_licenses: Vec<AssignedLicense>,
        assigned_plans: Vec<AssignedPlan>,
        birthday: DateTimeOffset,
        business_phones: Vec<String>,
        city: String,
        company_name: String,
        consent_provided_for_minor: String,
        country: String,
        created_date_time: DateTimeOffset,
        creation_type: String,
        department: String,
        display_name: String,
        employee_hire_date: DateTimeOffset,
        employee_id: String,
        employee_org_data: EmployeeOrgData,
        employee_type: String,
        external_user_state: String,
        external_user_state_change_date_time: DateTimeOffset,
        fax_number: String,
        given_name: String,
        hire_date: DateTimeOffset,
        identities: Vec<ObjectIdentity>,
        im_addresses: Vec<String>,
        interests: Vec<String>,
        is_resource_account: bool,
        job_title: String,
        last_password_change_date_time: DateTimeOffset,
        legal_age_group_classification: String,
        license_assignment_states: Vec<LicenseAssignmentState>,
        mail: String,
        mailbox_settings: MailboxSettings,
        mail_nickname: String,
        mobile_phone: String,
        my_site: String,
        office_location: String,
        on_premises_distinguished_name: String,
        on_premises_domain_name: String,
        on_premises_extension_attributes: OnPremisesExtensionAttributes,
        on_premises_immutable_id: String,
        on_premises_last_sync_date_time: DateTimeOffset,
        on_premises_provisioning_errors: Vec<OnPremisesProvisioningError>,
        on_premises_sam_account_name: String,
        on_premises_security_identifier: String,
        on_premises_sync_enabled: bool,
        on_premises_user_principal_name: String,
        other_mails: Vec<String>,
        password_policies: String,
        password_profile: PasswordProfile,
        past_projects: Vec<String>,
        postal_code: String,
        preferred_data_location: String,
        preferred_language: String,
        preferred_name: String,
        provisioned_plans: Vec<ProvisionedPlan>,
        proxy_addresses: Vec<String>,
        responsibilities: Vec<String>,
        schools: Vec<String>,
        security_identifier: String,
        show_in_address_list: bool,
        sign_in_sessions_valid_from_date_time: DateTimeOffset,
        skills: Vec<String>,
        state: String,
        street_address: String,
        surname: String,
        usage_location: String,
        user_principal_name: String,
        user_type: String,
        member_of: Vec<AnyDirectoryObject>,
    }

    pub struct Group {
        id: String,
        deleted_date_time: DateTimeOffset,
        allow_external_senders: bool,
        assigned_licenses: Vec<AssignedLicense>,
        auto_subscribe_new_members: bool,
        classification: String,
        created_date_time: DateTimeOffset,
        description: String,
        display_name: String,
        expiration_date_time: DateTimeOffset,
        group_types: Vec<String>,
        has_members_with_license_errors: bool,
        hide_from_address_lists: bool,
        hide_from_outlook_clients: bool,
        is_assignable_to_role: bool,
        is_subscribed_by_mail: bool,
        mail: String,
        mail_enabled: bool,
        mail_nickname: String,
        membership_rule: String,
        membership_rule_processing_state: String,
        on_premises_domain_name: String,
        on_premises_last_sync_date_time: DateTimeOffset,
        on_premises_net_bios_name: String,
        on_premises_provisioning_errors: Vec<OnPremisesProvisioningError>,
        on_premises_sam_account_name: String,
        on_premises_security_identifier: String,
        on_premises_sync_enabled: bool,
        preferred_data_location: String,
        preferred_language: String,
        proxy_addresses: Vec<String>,
        renewed_date_time: DateTimeOffset,
        security_enabled: bool,
        security_identifier: String,
        theme: String,
        unseen_count: i32,
        visibility: String,
    }

    pub struct DirectoryRole {
        id: String,
        deleted_date_time: DateTimeOffset,
        description: String,
        display_name: String,
        role_template_id: String,
    }

    pub struct AssignedLicense {
        disabled_plans: Vec<Guid>,
        sku_id: Guid,
    }

    pub struct AssignedPlan {
        assigned_date_time: DateTimeOffset,
        capability_status: String,
        service: String,
        service_plan_id: Guid,
    }

    pub struct ProvisionedPlan {
        capability_status: String,
        provisioning_status: String,
        service: String,
    }

    pub struct LicenseAssignmentState {
        assigned_by_group: String,
        disabled_plans: Vec<Guid>,
        error: String,
        last_updated_date_time: DateTimeOffset,
        sku_id: Guid,
        state: String,
    }

    pub struct PasswordProfile {
        force_change_password_next_sign_in: bool,
        force_change_password_next_sign_in_with_mfa: bool,
        password: String,
    }

    pub struct ObjectIdentity {
        issuer: String,
        issuer_assigned_id: String,
        sign_in_type: String,
    }

    pub struct EmployeeOrgData {
        cost_center: String,
        division: String,
    }

    pub struct OnPremisesExtensionAttributes {
        extension_attribute1: String,
        extension_attribute10: String,
        extension_attribute11: String,
        extension_attribute12: String,
        extension_attribute13: String,
        extension_attribute14: String,
        extension_attribute15: String,
        extension_attribute2: String,
        extension_attribute3: String,
        extension_attribute4: String,
        extension_attribute5: String,
        extension_attribute6: String,
        extension_attribute7: String,
        extension_attribute8: String,
        extension_attribute9: String,
    }

    pub struct OnPremisesProvisioningError {
        category: String,
        occurred_date_time: DateTimeOffset,
        property_causing_error: String,
        value: String,
    }

    pub struct MailboxSettings {
        archive_folder: String,
        automatic_replies_setting: AutomaticRepliesSetting,
        date_format: String,
        delegate_meeting_message_delivery_options: DelegateMeetingMessageDeliveryOptions,
        language: LocaleInfo,
        time_format: String,
        time_zone: String,
        user_purpose: UserPurpose,
        working_hours: WorkingHours,
    }

    pub struct AutomaticRepliesSetting {
        external_audience: ExternalAudienceScope,
        external_reply_message: String,
        internal_reply_message: String,
        scheduled_end_date_time: DateTimeTimeZone,
        scheduled_start_date_time: DateTimeTimeZone,
        status: AutomaticRepliesStatus,
    }

    pub struct LocaleInfo {
        display_name: String,
        locale: String,
    }

    pub struct WorkingHours {
        days_of_week: Vec<DayOfWeek>,
        end_time: TimeOfDay,
        start_time: TimeOfDay,
        time_zone: TimeZoneBase,
    }

    pub struct TimeZoneBase {
        name: String,
    }

    pub struct DateTimeTimeZone {
        date_time: String,
        time_zone: String,
    }
}
