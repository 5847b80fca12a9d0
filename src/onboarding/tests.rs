use super::*;

fn read_all(records: &[&str]) -> Onboarding {
    let mut onboarding = Onboarding::default();
    for r in records {
        read(r, &mut onboarding);
    }
    onboarding
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn the_connect_command_names_every_value() {
    let got = read_all(&[
        r#"PS C:\> azcmagent connect --service-principal-id "F3A5C1D2-7b8e-4f60-9a1b-2c3d4e5f6a7b" --tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d --subscription-id=4f9e31f7-1845-4909-bdc1-cb4952ffe058 --resource-group 'rg-arc(prod)' --location westeurope --resource-name web01"#,
    ]);
    assert_eq!(
        got,
        Onboarding {
            tenant_id: some("98fbb231-4a93-4dee-85a8-9c286ddfb92d"),
            subscription_id: some("4f9e31f7-1845-4909-bdc1-cb4952ffe058"),
            resource_group: some("rg-arc(prod)"),
            location: some("westeurope"),
            service_principal_id: some("F3A5C1D2-7b8e-4f60-9a1b-2c3d4e5f6a7b"),
            resource_name: some("web01"),
        }
    );
}

#[test]
fn azcmagent_show_and_resource_ids_name_them_too_and_the_last_value_wins() {
    let got = read_all(&[
        "Resource Name                           : SRV-FS-01",
        "Resource Group Name                     : rg-old",
        "Location                                : eastus",
        "Tenant ID                               : 98fbb231-4a93-4dee-85a8-9c286ddfb92d",
        r#"Body="{\"id\":\"/subscriptions/4f9e31f7-1845-4909-bdc1-cb4952ffe058/resourceGroups/rg-new/providers/Microsoft.HybridCompute/machines/SRV-FS-02\",\"location\":\"westeurope\"}""#,
    ]);
    assert_eq!(
        got,
        Onboarding {
            tenant_id: some("98fbb231-4a93-4dee-85a8-9c286ddfb92d"),
            subscription_id: some("4f9e31f7-1845-4909-bdc1-cb4952ffe058"),
            resource_group: some("rg-new"),
            location: some("westeurope"),
            service_principal_id: None,
            resource_name: some("SRV-FS-02"),
        }
    );
}

#[test]
fn references_and_placeholders_are_not_values() {
    let got = read_all(&[
        r#"azcmagent connect --tenant-id $TENANT --subscription-id "<subscription-id>" --resource-group <rg> --location "$env:LOCATION" --resource-name %COMPUTERNAME%"#,
        "the location of the subscription is unknown",
    ]);
    assert_eq!(got, Onboarding::default());
}

#[test]
fn a_name_ends_at_a_run_of_dashes_and_prose_names_no_region() {
    let got = read_all(&[
        "over scope '/subscriptions/6f1e1a47-7b3a-4b5e-8d36-0b8a1b8f0c11/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01---------------'",
        "the location not found; Location West Europe",
        "--service-principal-id 00000000-0000-0000-0000-000000000000",
    ]);
    assert_eq!(got.resource_name, some("web01"));
    assert_eq!(got.location, None);
    assert_eq!(got.service_principal_id, None);
}

#[test]
fn a_quoted_region_is_read_whole() {
    assert_eq!(
        read_all(&[r#"azcmagent connect --location "West Europe""#]).location,
        some("West Europe")
    );
    assert_eq!(
        read_all(&[r#"azcmagent connect --location "$LOCATION""#]).location,
        None
    );
}

#[test]
fn a_name_cut_short_by_a_character_names_cannot_hold_is_no_value() {
    let got = read_all(&[
        r#"azcmagent connect --resource-group "rg;rm -rf /" --resource-name 'web$(id)'"#,
    ]);
    assert_eq!((got.resource_group, got.resource_name), (None, None));
    let got = read_all(&["--resource-group rg-arc, --resource-name web01"]);
    assert_eq!(
        (got.resource_group, got.resource_name),
        (some("rg-arc"), some("web01"))
    );
}

/// Azure allows 90 characters in a resource group's name, dashes as often as it likes: such a
/// name is read whole; a longer run of name characters is no name at all.
#[test]
fn a_name_of_ninety_characters_is_read_whole_with_any_number_of_dashes() {
    let dashed = "a-".repeat(44) + "zz";
    assert_eq!(dashed.len(), 90);
    let plain = "r".repeat(90);
    for name in [&dashed, &plain] {
        let got = read_all(&[&format!(
            "azcmagent connect --resource-group {name} --location x"
        )]);
        assert_eq!(got.resource_group.as_deref(), Some(name.as_str()));
    }
    let too_long = "r".repeat(200);
    let got = read_all(&[&format!("--resource-group {too_long} --location x")]);
    assert_eq!(got.resource_group, None);
}
