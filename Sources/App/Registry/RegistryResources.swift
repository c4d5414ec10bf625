import Domain

/// The registry's collections (issue: foundation). Later capabilities add their own catalogs.
enum RegistryResources {
    static let all: [ResourceSpec] = [
        ResourceSpec(name: "districts", parent: nil, fields: [
            FieldSpec("name", .text(max: 50)),
            FieldSpec("code", .text(max: 12)),
        ]),
        ResourceSpec(name: "streets", parent: "districtId", fields: [
            FieldSpec("districtId", .reference(resource: "districts")),
            FieldSpec("name", .text(max: 50)),
            FieldSpec("kind", .codes(StreetKind.self)),
        ]),
        ResourceSpec(name: "communities", parent: "streetId", fields: [
            FieldSpec("streetId", .reference(resource: "streets")),
            FieldSpec("name", .text(max: 50)),
        ]),
        ResourceSpec(name: "compounds", parent: "communityId", fields: [
            FieldSpec("communityId", .reference(resource: "communities")),
            FieldSpec("name", .text(max: 100)),
            FieldSpec("aliases", .text(max: 500), required: false),
            FieldSpec("address", .text(max: 200)),
            FieldSpec("latitude", .coordinate(-90...90), required: false),
            FieldSpec("longitude", .coordinate(-180...180), required: false),
            FieldSpec("housingKind", .codes(HousingKind.self)),
            FieldSpec("yearBuilt", .integer(1900...2100)),
            FieldSpec("managementMode", .codes(ManagementMode.self)),
        ], check: { v in
            (v["latitude"]?.isNull ?? true) == (v["longitude"]?.isNull ?? true) ? []
                : [FieldError(field: "longitude", code: "incomplete_location", message: "latitude and longitude go together")]
        }),
        ResourceSpec(name: "buildings", parent: "compoundId", label: "number", fields: [
            FieldSpec("compoundId", .reference(resource: "compounds")),
            FieldSpec("number", .text(max: 30)),
            FieldSpec("floors", .integer(1...200)),
            FieldSpec("hasLift", .boolean),
        ]),
        ResourceSpec(name: "entrances", parent: "buildingId", label: "number", fields: [
            FieldSpec("buildingId", .reference(resource: "buildings")),
            FieldSpec("number", .text(max: 30)),
        ]),
        ResourceSpec(name: "rooms", parent: "entranceId", label: "number", fields: [
            FieldSpec("entranceId", .reference(resource: "entrances")),
            FieldSpec("number", .text(max: 30)),
            FieldSpec("floor", .integer(-5...200)),
            FieldSpec("use", .codes(RoomUse.self)),
            FieldSpec("area", .area),
        ]),
        ResourceSpec(name: "owners", parent: "districtId", fields: [
            FieldSpec("districtId", .reference(resource: "districts")),
            FieldSpec("kind", .codes(OwnerKind.self)),
            FieldSpec("name", .text(max: 100)),
            FieldSpec("phone", .phone, required: false),
        ]),
        ResourceSpec(name: "ownerships", parent: "roomId", label: "ownerId", fields: [
            FieldSpec("roomId", .reference(resource: "rooms")),
            FieldSpec("ownerId", .reference(resource: "owners")),
        ]),
        ResourceSpec(name: "residents", parent: "roomId", fields: [
            FieldSpec("roomId", .reference(resource: "rooms")),
            FieldSpec("name", .text(max: 100)),
            FieldSpec("phone", .phone, required: false),
        ]),
        ResourceSpec(name: "companies", parent: "districtId", fields: [
            FieldSpec("districtId", .reference(resource: "districts")),
            FieldSpec("name", .text(max: 100)),
            FieldSpec("creditCode", .creditCode),
            FieldSpec("stateOwned", .boolean, filterable: true),
            FieldSpec("associationMember", .boolean, filterable: true),
            FieldSpec("phone", .phone, required: false),
        ]),
        ResourceSpec(name: "contracts", parent: "compoundId", label: "startsOn", fields: [
            FieldSpec("companyId", .reference(resource: "companies")),
            FieldSpec("compoundId", .reference(resource: "compounds")),
            FieldSpec("startsOn", .date),
            FieldSpec("endsOn", .date, required: false),
            FieldSpec("monthlyFeePerSqm", .money),
            FieldSpec("billingCycle", .codes(BillingCycle.self), required: false),
        ], check: { endsAfterStart($0, start: "startsOn", end: "endsOn") }),
        ResourceSpec(name: "committees", parent: "compoundId", label: "kind", fields: [
            FieldSpec("compoundId", .reference(resource: "compounds")),
            FieldSpec("kind", .codes(CommitteeKind.self)),
            FieldSpec("termStart", .date),
            FieldSpec("termEnd", .date, required: false),
        ], check: { endsAfterStart($0, start: "termStart", end: "termEnd") }),
        ResourceSpec(name: "committee-members", parent: "committeeId", fields: [
            FieldSpec("committeeId", .reference(resource: "committees")),
            FieldSpec("name", .text(max: 100)),
            FieldSpec("role", .codes(CommitteeRole.self)),
        ]),
        ResourceSpec(name: "party-organizations", parent: "streetId", fields: [
            FieldSpec("streetId", .reference(resource: "streets")),
            FieldSpec("communityId", .reference(resource: "communities"), required: false),
            FieldSpec("kind", .codes(PartyOrgKind.self)),
            FieldSpec("name", .text(max: 100)),
        ]),
        ResourceSpec(name: "party-coverages", parent: "partyOrganizationId", label: "partyOrganizationId", fields: [
            FieldSpec("partyOrganizationId", .reference(resource: "party-organizations")),
            FieldSpec("compoundId", .reference(resource: "compounds"), required: false),
            FieldSpec("companyId", .reference(resource: "companies"), required: false),
        ], check: { v in
            (v["compoundId"]?.isNull ?? true) != (v["companyId"]?.isNull ?? true) ? []
                : [FieldError(field: "compoundId", code: "exactly_one", message: "give either compoundId or companyId")]
        }),
        ResourceSpec(name: "alliances", parent: "streetId", fields: [
            FieldSpec("streetId", .reference(resource: "streets")),
            FieldSpec("name", .text(max: 100)),
            FieldSpec("foundedOn", .date),
        ]),
        ResourceSpec(name: "alliance-members", parent: "allianceId", label: "companyId", fields: [
            FieldSpec("allianceId", .reference(resource: "alliances")),
            FieldSpec("companyId", .reference(resource: "companies")),
            FieldSpec("joinedOn", .date),
        ]),
        ResourceSpec(name: "departments", parent: "districtId", fields: [
            FieldSpec("districtId", .reference(resource: "districts")),
            FieldSpec("name", .text(max: 100)),
            FieldSpec("kind", .codes(DepartmentKind.self)),
        ]),
        ResourceSpec(name: "cross-appointments", parent: "communityId", label: "personName", fields: [
            FieldSpec("communityId", .reference(resource: "communities")),
            FieldSpec("companyId", .reference(resource: "companies")),
            FieldSpec("personName", .text(max: 100)),
            FieldSpec("direction", .codes(AppointmentDirection.self)),
            FieldSpec("post", .text(max: 100)),
            FieldSpec("startsOn", .date),
        ]),
    ]

    /// An end date, when given, may not come before the start date.
    static func endsAfterStart(_ v: [String: FieldValue], start: String, end: String) -> [FieldError] {
        guard let s = v[start]?.text, let e = v[end]?.text, e < s else { return [] }
        return [FieldError(field: end, code: "before_start", message: "\(end) is before \(start)")]
    }
}
