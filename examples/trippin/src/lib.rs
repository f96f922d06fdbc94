//! Example of the `build.rs` front-end: the build script generates the TripPin service's types
//! into `OUT_DIR`, and this crate includes and uses them. Its input is the TripPin document of
//! the shared corpus (`../shared/corpus`); without it the crate is empty (see `build.rs`).

/// Everything generated from TripPin's `$metadata`.
#[cfg(trippin_corpus)]
pub mod trippin {
    include!(concat!(env!("OUT_DIR"), "/trippin.rs"));
}

#[cfg(trippin_corpus)]
pub use trippin::microsoft_o_data_sample_service_models_trip_pin as model;

/// The people of a TripPin `GET /People` response (`{"value": [...]}`), typed.
#[cfg(trippin_corpus)]
pub fn people(response: &str) -> Result<Vec<model::Person>, serde_json::Error> {
    let mut body: serde_json::Value = serde_json::from_str(response)?;
    let items = body
        .get_mut("value")
        .map(serde_json::Value::take)
        .unwrap_or_default();
    serde_json::from_value(items)
}

/// Without the shared corpus the crate has no types: this says so (and fails on CI).
#[cfg(all(test, not(trippin_corpus)))]
#[path = "../../../codegen/tests/shared_data/mod.rs"]
mod shared_data;

#[cfg(all(test, not(trippin_corpus)))]
#[test]
fn the_trippin_document_is_missing() {
    shared_data::missing(
        &shared_data::repo_root()
            .join("../shared/corpus/reference/trippin_v4_TripPinServiceRW.xml"),
    );
}

#[cfg(all(test, trippin_corpus))]
mod tests {
    use super::*;

    const PEOPLE: &str = r##"{
      "@odata.context": "http://services.odata.org/V4/TripPinServiceRW/$metadata#People",
      "value": [
        {
          "@odata.etag": "W/\"08D1694BF26D2BC9\"",
          "UserName": "russellwhyte",
          "FirstName": "Russell",
          "LastName": "Whyte",
          "Emails": ["Russell@example.com", "Russell@contoso.com"],
          "AddressInfo": [
            {"Address": "187 Suffolk Ln.", "City": {"CountryRegion": "United States", "Name": "Boise", "Region": "ID"}},
            {"@odata.type": "#Microsoft.OData.SampleService.Models.TripPin.EventLocation",
             "Address": "1 Main St", "BuildingInfo": "Hall 2",
             "City": {"CountryRegion": "United States", "Name": "Boise", "Region": "ID"}}
          ],
          "Gender": "Male",
          "Concurrency": 635404797346655200
        },
        {"UserName": "newcomer", "FirstName": "New", "LastName": "Comer", "Gender": "SomethingNew"}
      ]
    }"##;

    #[test]
    fn generated_types_read_a_people_response() {
        let people = people(PEOPLE).unwrap();
        assert_eq!(people.len(), 2);
        let russell = &people[0];
        assert_eq!(russell.user_name.as_deref(), Some("russellwhyte"));
        assert_eq!(russell.extra.etag(), Some("W/\"08D1694BF26D2BC9\""));
        assert_eq!(russell.gender, Some(model::PersonGender::Male));
        assert_eq!(russell.concurrency, Some(635404797346655200));
        let addresses = russell.address_info.as_ref().unwrap();
        assert!(
            matches!(&addresses[0], model::AnyLocation::Location(l) if l.address.as_deref() == Some("187 Suffolk Ln."))
        );
        assert!(
            matches!(&addresses[1], model::AnyLocation::EventLocation(e) if e.building_info.as_deref() == Some("Hall 2"))
        );
        // A member the service added later is kept, not an error.
        assert_eq!(
            people[1].gender,
            Some(model::PersonGender::Unknown2("SomethingNew".into()))
        );
    }

    #[test]
    fn values_write_back_as_read() {
        let body: serde_json::Value = serde_json::from_str(PEOPLE).unwrap();
        let written = serde_json::to_value(people(PEOPLE).unwrap()).unwrap();
        assert_eq!(written, body["value"]);
    }
}
