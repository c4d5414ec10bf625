import Foundation

extension DemoGenerator {
    /// Everything under the street at `index` of `plan.streets`; the same for the same seed.
    public func street(_ index: Int, plan: DemoDistrictPlan) -> DemoStreetBundle {
        var rng = SeededRandom(seed: seed &+ UInt64(index + 1) &* 0x9E37_79B9)
        var out = DemoStreetBundle()
        let street = plan.streets[index]
        let baseName = String(street.name.dropLast(street.kind == .subdistrict ? 2 : 1))
        let local = plan.localCompanies[index]
        var fallbackLeft = plan.fallbackQuota[index]
        let centre = (lat: 39.86 + Double(index % 7) * 0.028, lon: 116.42 + Double(index / 7) * 0.04)

        // The alliance and its branch, with the street's local companies as members.
        let alliance = Alliance(id: rng.uuid(), streetId: street.id, name: "\(street.name)物业服务联盟",
                                foundedOn: CivilDate(year: rng.int(2019...2020), month: rng.int(1...12), day: rng.int(1...28)))
        out.alliances.append(alliance)
        let allianceBranch = PartyOrganization(id: rng.uuid(), streetId: street.id, communityId: nil, kind: .allianceBranch,
                                               name: "\(street.name)物业服务联盟党支部")
        out.partyOrganizations.append(allianceBranch)
        for ci in local {
            out.allianceMembers.append(AllianceMember(id: rng.uuid(), allianceId: alliance.id, companyId: plan.companies[ci].id,
                                                      joinedOn: alliance.foundedOn))
            out.partyCoverages.append(PartyCoverage(id: rng.uuid(), partyOrganizationId: allianceBranch.id, compoundId: nil,
                                                    companyId: plan.companies[ci].id))
        }
        // Company branches for companies whose home is this street (60% have one).
        for (ci, company) in plan.companies.enumerated() where plan.companyHome[ci] == index && (ci == 0 || rng.chance(60)) {
            let org = PartyOrganization(id: rng.uuid(), streetId: street.id, communityId: nil, kind: .companyBranch,
                                        name: "\(company.name)党支部")
            out.partyOrganizations.append(org)
            out.partyCoverages.append(PartyCoverage(id: rng.uuid(), partyOrganizationId: org.id, compoundId: nil, companyId: company.id))
        }

        var communityNames: Set<String> = []
        var compoundNames: Set<String> = []
        let seeded = DemoNames.seedCommunities[baseName] ?? []
        let communityCount = max(rng.int(sizes.communities), seeded.count)
        for c in 0..<communityCount {
            var cname: String
            var presetCompounds: [String] = []
            if c < seeded.count {
                cname = seeded[c].community
                presetCompounds = seeded[c].compounds
            } else {
                repeat {
                    cname = rng.pick(DemoNames.placeHeads) + rng.pick(DemoNames.placeHeads) + rng.pick(DemoNames.communityTails)
                } while cname.count < 2 || !communityNames.insert(cname).inserted
            }
            communityNames.insert(cname)
            let community = Community(id: rng.uuid(), streetId: street.id, name: cname + "社区")
            out.communities.append(community)
            out.partyOrganizations.append(PartyOrganization(id: rng.uuid(), streetId: street.id, communityId: community.id,
                                                            kind: .communityCommittee, name: "\(community.name)党委"))
            let compoundCount = max(rng.int(sizes.compounds), presetCompounds.count)
            var servingCompanies: [UUID] = []
            for k in 0..<compoundCount {
                var name: String
                if k < presetCompounds.count {
                    name = presetCompounds[k]
                } else {
                    repeat {
                        name = rng.pick(DemoNames.placeHeads) + rng.pick(DemoNames.placeHeads) + rng.pick(DemoNames.placeTails)
                    } while !compoundNames.insert(name).inserted
                }
                compoundNames.insert(name)
                let compound = makeCompound(name: name, community: community, streetBase: baseName, centre: centre,
                                            fallbackLeft: &fallbackLeft, rng: &rng)
                out.compounds.append(compound)
                let served = addService(compound, plan: plan, local: local, into: &out, rng: &rng)
                if let served { servingCompanies.append(served) }
                addCommittee(compound, into: &out, rng: &rng)
                if rng.chance(30) {
                    let branch = PartyOrganization(id: rng.uuid(), streetId: street.id, communityId: community.id,
                                                   kind: .compoundBranch, name: "\(compound.name)小区党支部")
                    out.partyOrganizations.append(branch)
                    out.partyCoverages.append(PartyCoverage(id: rng.uuid(), partyOrganizationId: branch.id,
                                                            compoundId: compound.id, companyId: nil))
                }
                addHousing(compound, plan: plan, into: &out, rng: &rng)
            }
            if let companyId = servingCompanies.first, rng.chance(70) {
                let toCommunity = rng.chance(50)
                out.crossAppointments.append(CrossAppointment(
                    id: rng.uuid(), communityId: community.id, companyId: companyId, personName: Self.personName(&rng),
                    direction: toCommunity ? .companyToCommunity : .communityToCompany,
                    post: toCommunity ? rng.pick(["社区兼职副书记", "社区居委会兼职副主任"]) : rng.pick(["物业项目兼职副经理", "物业服务质量监督员"]),
                    startsOn: CivilDate(year: rng.int(2019...2025), month: rng.int(1...12), day: 1)))
            }
        }
        return out
    }

    func makeCompound(name: String, community: Community, streetBase: String, centre: (lat: Double, lon: Double),
                      fallbackLeft: inout Int, rng: inout SeededRandom) -> Compound {
        var kind: HousingKind
        var mode: ManagementMode
        if fallbackLeft > 0 && rng.chance(50) {
            fallbackLeft -= 1
            kind = .oldCompound
            mode = .stateFallback
        } else {
            let roll = rng.int(0...99)
            kind = roll < 30 ? .oldCompound : roll < 45 ? .reform : roll < 90 ? .commodity : .affordable
            let m = rng.int(0...99)
            mode = m < 10 ? .none : (m < 15 && kind != .commodity) ? .selfManaged : .professional
        }
        let year = switch kind {
        case .oldCompound: rng.int(1958...1995)
        case .reform: rng.int(1990...2003)
        case .commodity: rng.int(1998...2020)
        case .affordable: rng.int(2008...2022)
        }
        let road = rng.pick(DemoNames.placeHeads) + rng.pick(DemoNames.placeHeads) + rng.pick(["路", "街", "大街", "南路", "北路"])
        return Compound(id: rng.uuid(), communityId: community.id, name: name,
                        address: "北京市朝阳区\(streetBase)\(road)\(rng.int(1...199))号", 
                        latitude: centre.lat + Double(rng.int(0...200)) / 10_000,
                        longitude: centre.lon + Double(rng.int(0...300)) / 10_000,
                        housingKind: kind, yearBuilt: year, managementMode: mode)
    }

    /// The contract(s) that serve a compound; returns the company serving it today.
    func addService(_ compound: Compound, plan: DemoDistrictPlan, local: [Int], into out: inout DemoStreetBundle,
                    rng: inout SeededRandom) -> UUID? {
        switch compound.managementMode {
        case .none, .selfManaged:
            return nil
        case .stateFallback:
            out.contracts.append(ServiceContract(id: rng.uuid(), companyId: plan.fallbackCompanyId, compoundId: compound.id,
                                                 startsOn: CivilDate(year: rng.int(2019...2021), month: rng.int(1...12), day: 1),
                                                 endsOn: nil, monthlyFeePerSqm: Money(fen: 60)))
            return plan.fallbackCompanyId
        case .professional:
            let company = plan.companies[rng.pick(local)].id
            let fee = compound.housingKind == .commodity ? rng.int(180...650) : rng.int(50...160)
            let start = CivilDate(year: rng.int(2018...2025), month: rng.int(1...12), day: 1)
            if rng.chance(25) {
                // An earlier contract with another company, ended when this one began.
                let before = plan.companies[rng.pick(local)].id
                out.contracts.append(ServiceContract(id: rng.uuid(), companyId: before, compoundId: compound.id,
                                                     startsOn: CivilDate(year: start.year - 5, month: start.month, day: 1),
                                                     endsOn: CivilDate(year: start.year, month: start.month, day: 1).dayBefore,
                                                     monthlyFeePerSqm: Money(fen: Int64(fee - 20))))
            }
            let end = CivilDate(year: max(start.year + rng.int(3...5), today.year + 1), month: start.month, day: 1).dayBefore
            out.contracts.append(ServiceContract(id: rng.uuid(), companyId: company, compoundId: compound.id, startsOn: start,
                                                 endsOn: end, monthlyFeePerSqm: Money(fen: Int64(fee))))
            return company
        }
    }

    /// About 85% of compounds have a committee: owners' committees in commodity housing, 物管会 elsewhere.
    func addCommittee(_ compound: Compound, into out: inout DemoStreetBundle, rng: inout SeededRandom) {
        guard rng.chance(85) else { return }
        let kind: CommitteeKind = rng.chance(8) ? .preparatoryGroup
            : (compound.housingKind == .commodity ? (rng.chance(80) ? .ownersCommittee : .managementCommittee)
               : (rng.chance(30) ? .ownersCommittee : .managementCommittee))
        let startYear = rng.int(2021...2025)
        let start = CivilDate(year: startYear, month: rng.int(1...12), day: 1)
        let end = CivilDate(year: startYear + (kind == .ownersCommittee ? 5 : 3), month: start.month, day: 1).dayBefore
        let committee = Committee(id: rng.uuid(), compoundId: compound.id, kind: kind, termStart: start, termEnd: end)
        out.committees.append(committee)
        let seats = rng.int(5...9)
        for s in 0..<seats {
            let role: CommitteeRole = s == 0 ? .chair : s == 1 ? .viceChair
                : (s == 2 && kind == .managementCommittee) ? .residentsCommitteeChair : .member
            out.committeeMembers.append(CommitteeMember(id: rng.uuid(), committeeId: committee.id, name: Self.personName(&rng), role: role))
        }
    }
}

extension CivilDate {
    /// The previous calendar day.
    public var dayBefore: CivilDate {
        if day > 1 { return CivilDate(year: year, month: month, day: day - 1) }
        if month > 1 { return CivilDate(year: year, month: month - 1, day: CivilDate.daysIn(month: month - 1, year: year)) }
        return CivilDate(year: year - 1, month: 12, day: 31)
    }
}
