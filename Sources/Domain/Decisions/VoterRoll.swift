import Foundation

/// A room of the compound as the roll sees it: its registered exclusive area and its owners.
public struct RoomHolding: Sendable, Hashable {
    public var roomId: UUID
    public var area: Area
    public var ownerIds: [UUID]

    public init(roomId: UUID, area: Area, ownerIds: [UUID]) {
        self.roomId = roomId
        self.area = area
        self.ownerIds = ownerIds
    }
}

/// One person on the roll (Beijing Property Management Regulations art. 20): the rooms they
/// vote for, the area of those rooms, and every owner who may cast their one ballot.
public struct Voter: Sendable, Hashable {
    /// Stable key: the smallest room id of the person's rooms.
    public var key: UUID
    public var roomIds: [UUID]
    public var area: Area
    public var ownerIds: [UUID]

    public init(key: UUID, roomIds: [UUID], area: Area, ownerIds: [UUID]) {
        self.key = key
        self.roomIds = roomIds
        self.area = area
        self.ownerIds = ownerIds
    }
}

/// Builds the frozen voter roll of a decision.
public enum VoterRoll {
    /// One person per exclusive part; an owner of several rooms counts once with all their area;
    /// co-owners of a room count as one person with that room's area; all rooms of a developer
    /// count as one person. Rooms linked through a shared owner therefore form one person
    /// (union–find). Rooms with no registered owner have no one to vote and are left off.
    public static func build(_ rooms: [RoomHolding]) -> [Voter] {
        let owned = rooms.filter { !$0.ownerIds.isEmpty }
        var parent = Array(owned.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        var firstRoomOfOwner: [UUID: Int] = [:]
        for (i, room) in owned.enumerated() {
            for owner in room.ownerIds {
                if let j = firstRoomOfOwner[owner] {
                    let a = find(i), b = find(j)
                    if a != b { parent[max(a, b)] = min(a, b) }
                } else {
                    firstRoomOfOwner[owner] = i
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in owned.indices { groups[find(i), default: []].append(i) }
        // Sort by the ids' text once computed, not recomputed in every comparison.
        func ordered(_ ids: [UUID]) -> [UUID] { ids.map { ($0.uuidString, $0) }.sorted { $0.0 < $1.0 }.map(\.1) }
        return groups.values.map { members -> (String, Voter) in
            let rooms = members.map { owned[$0] }
            let roomIds = ordered(rooms.map(\.roomId))
            let owners = ordered(Array(Set(rooms.flatMap(\.ownerIds))))
            return (roomIds[0].uuidString, Voter(key: roomIds[0], roomIds: roomIds, area: rooms.reduce(.zero) { $0 + $1.area }, ownerIds: owners))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
