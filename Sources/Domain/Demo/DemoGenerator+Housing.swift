import Foundation

extension DemoGenerator {
    /// Buildings, entrances and rooms of a compound, with owners (multi-room owners, co-owners and a
    /// developer holding unsold rooms) and residents.
    func addHousing(_ compound: Compound, plan: DemoDistrictPlan, into out: inout DemoStreetBundle, rng: inout SeededRandom) {
        let old = compound.housingKind == .oldCompound || compound.housingKind == .reform
        let buildingCount = rng.int(sizes.buildings)
        var developer: Owner?
        if compound.housingKind == .commodity && rng.chance(60) {
            let d = Owner(id: rng.uuid(), districtId: plan.district.id, kind: .developer,
                          name: "北京" + rng.pick(DemoNames.companyHeads) + rng.pick(DemoNames.companyMids) + DemoNames.developerSuffix,
                          phone: nil)
            developer = d
            out.owners.append(d)
        }
        var lastPerson: Owner?
        for b in 1...buildingCount {
            let floors = old ? rng.int(5...6) : rng.int(sizes.floors.lowerBound...sizes.floors.upperBound + 4)
            let building = Building(id: rng.uuid(), compoundId: compound.id, number: "\(b)号楼", floors: floors,
                                    hasLift: floors >= 7 || (old && rng.chance(10)))
            out.buildings.append(building)
            for e in 1...rng.int(sizes.entrances) {
                let entrance = Entrance(id: rng.uuid(), buildingId: building.id, number: "\(e)单元")
                out.entrances.append(entrance)
                for floor in 1...floors {
                    for unit in 1...2 {
                        let use: RoomUse = floor == 1 && rng.chance(4) ? (rng.chance(50) ? .commercial : .storage) : .residential
                        let area = old ? rng.int(3_500...9_000) : rng.int(6_000...18_000)
                        let room = Room(id: rng.uuid(), entranceId: entrance.id, number: "\(floor)\(unit < 10 ? "0" : "")\(unit)",
                                        floor: floor, use: use, area: Area(hundredths: Int64(area)))
                        out.rooms.append(room)
                        assignOwners(room, developer: developer, lastPerson: &lastPerson, plan: plan, into: &out, rng: &rng)
                    }
                }
            }
        }
    }

    func assignOwners(_ room: Room, developer: Owner?, lastPerson: inout Owner?, plan: DemoDistrictPlan,
                      into out: inout DemoStreetBundle, rng: inout SeededRandom) {
        if let developer, rng.chance(5) {
            out.ownerships.append(Ownership(id: rng.uuid(), roomId: room.id, ownerId: developer.id))
            return
        }
        let owner: Owner
        if let previous = lastPerson, rng.chance(10) {
            owner = previous   // one owner holding several rooms
        } else {
            owner = Owner(id: rng.uuid(), districtId: plan.district.id, kind: rng.chance(2) ? .organization : .person,
                          name: Self.personName(&rng), phone: Self.phone(&rng))
            out.owners.append(owner)
        }
        if owner.kind == .organization {
            out.owners[out.owners.count - 1].name = rng.pick(DemoNames.companyHeads) + rng.pick(DemoNames.companyMids) + "科技有限公司"
        }
        lastPerson = owner.kind == .person ? owner : nil
        out.ownerships.append(Ownership(id: rng.uuid(), roomId: room.id, ownerId: owner.id))
        if rng.chance(8) {
            let co = Owner(id: rng.uuid(), districtId: plan.district.id, kind: .person, name: Self.personName(&rng), phone: Self.phone(&rng))
            out.owners.append(co)
            out.ownerships.append(Ownership(id: rng.uuid(), roomId: room.id, ownerId: co.id))
        }
        if room.use == .residential && rng.chance(75) {
            out.residents.append(Resident(id: rng.uuid(), roomId: room.id, name: owner.kind == .person ? owner.name : Self.personName(&rng),
                                          phone: owner.phone))
            if rng.chance(45) {
                out.residents.append(Resident(id: rng.uuid(), roomId: room.id, name: Self.personName(&rng), phone: nil))
            }
        }
    }
}
