import Domain
import FluentKit
import Foundation
import SQLKit

/// The 物管会 (Beijing regs 2020, arts. 29–30): formed by the street where no owners' assembly or
/// committee exists, chaired by the residents' committee's representative with an owner
/// representative as vice-chair; meetings called by the chair (and due when a third of the members
/// ask), quorate only with more than half of all members and of the owner representatives present,
/// decisions signed by more than half of all members, minutes posted within 3 days for 10; and
/// its duties kept as dated work lists.
extension CommitteeService {
    struct SeatInput: Sendable { var name: String, seat: ManagementSeat }

    func formManagement(_ ctx: AccessContext, compound: UUID, formedOn: CivilDate, termEnd: CivilDate, members: [SeatInput]) async throws -> UUID {
        try await db.transaction { tx in
            let p = try await Self.place(compound, on: tx)
            try Self.require(Self.isStreetOver(ctx.actor, p), ctx.actor, p, entity: "compounds", id: compound, "the street forms a 物管会")
            var errors = FieldErrors()
            for e in ManagementCommitteeRules.compositionErrors(members.map(\.seat)) + CommitteeRules.termErrors(start: formedOn, end: termEnd, settings) {
                errors.add(e.field, e.code, e.message)
            }
            for (i, m) in members.enumerated() where m.name.trimmingCharacters(in: .whitespaces).isEmpty || m.name.count > 100 {
                errors.add("members[\(i)].name", "required", "a name of at most 100 characters")
            }
            if formedOn > ctx.todayDate { errors.add("formedOn", "in_future", "not after today") }
            try errors.throwIfAny()
            if try await tx.sql().raw("""
                SELECT id FROM committees WHERE compound_id = \(bind: compound) AND kind IN ('owners_committee', 'management_committee')
                AND term_start <= \(bind: ctx.today) AND (term_end IS NULL OR term_end >= \(bind: ctx.today))
                """).first() != nil {
                throw DomainError.conflict(code: "committee_in_term", message: "the compound has an owners' committee or 物管会 in term")
            }
            let id = try await insertCommittee(tx, compound: compound, kind: .managementCommittee, start: formedOn, end: termEnd, now: ctx.now,
                                               members: members.map { ($0.name, CommitteeView.role($0.seat)) })
            try await audit.record(ctx, action: "form", entity: "committees", entityId: id, districtId: p.district, before: nil,
                                   after: .object(["kind": .string("management_committee"), "members": .int(Int64(members.count))]), on: tx)
            return id
        }
    }

    func committee(_ ctx: AccessContext, _ id: UUID, on db: any Database) async throws -> CommitteeView {
        guard let row = try await db.sql().raw("""
            SELECT k.*, p.name AS compound_name, y.district_id, y.street_id, y.community_id FROM committees k JOIN compounds p ON p.id = k.compound_id
            JOIN (SELECT p2.id AS compound_id, cm2.id AS community_id, st2.id AS street_id, st2.district_id FROM compounds p2 JOIN communities cm2 ON cm2.id = p2.community_id
                  JOIN streets st2 ON st2.id = cm2.street_id) y ON y.compound_id = k.compound_id WHERE k.id = \(bind: id) AND
            """ + " " + Self.visible(ctx.actor, alias: "y")).first() else {
            throw DomainError.notFound(entity: "committees", id: id.text)
        }
        let members = try await db.sql().raw("""
            SELECT id, name, role FROM committee_members WHERE committee_id = \(bind: id) ORDER BY CASE role WHEN 'chair' THEN 0 WHEN 'residents_committee_chair' THEN 0
            WHEN 'vice_chair' THEN 1 WHEN 'owner_representative' THEN 2 WHEN 'member' THEN 2 ELSE 3 END, created_at, name
            """).all().map { r in
            CommitteeView.Member(id: try r.decode(column: "id", as: UUID.self), name: try r.decode(column: "name", as: String.self),
                                 role: CommitteeRole(rawValue: try r.decode(column: "role", as: String.self)) ?? .member)
        }
        return CommitteeView(id: id, compoundId: try row.decode(column: "compound_id", as: UUID.self), compoundName: try row.decode(column: "compound_name", as: String.self),
                             kind: CommitteeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .ownersCommittee,
                             termStart: CivilDate(try row.decode(column: "term_start", as: String.self)) ?? ctx.todayDate,
                             termEnd: try row.decode(column: "term_end", as: String?.self).flatMap { CivilDate($0) },
                             districtId: try row.decode(column: "district_id", as: UUID.self), streetId: try row.decode(column: "street_id", as: UUID.self),
                             communityId: try row.decode(column: "community_id", as: UUID.self), members: members)
    }

    /// A 物管会 the caller may record for: staff over its compound or one of its members' committee accounts.
    func managementForWriting(_ ctx: AccessContext, _ id: UUID, on tx: any Database) async throws -> CommitteeView {
        let k = try await committee(ctx, id, on: tx)
        guard k.kind == .managementCommittee else { throw DomainError.conflict(code: "not_management_committee", message: "only a 物管会 keeps these records") }
        let p = Place(district: k.districtId, street: k.streetId, community: k.communityId, compound: k.compoundId)
        guard Self.isStaffOver(ctx.actor, p) || ctx.actor.grants.contains(where: { $0.role == .committeeMember && $0.scopeId == k.compoundId }) else {
            throw DomainError.forbidden(reason: "staff over the compound and its committee record the 物管会's work")
        }
        return k
    }

    struct MeetingInput: Sendable {
        var heldOn: CivilDate, calledBy: String, requests: Int, present: [UUID], subject: String, minutes: String
        var decisions: [(text: String, signatures: [UUID])]
    }

    /// Records a meeting: quorum from who was present, each decision passed by its signatures;
    /// the minutes and decisions are posted to the compound at once for 10 days.
    func meeting(_ ctx: AccessContext, committee id: UUID, _ m: MeetingInput) async throws -> UUID {
        try await db.transaction { tx in
            let k = try await managementForWriting(ctx, id, on: tx)
            let members = Set(k.members.map(\.id))
            let ownerReps = Set(k.members.filter { ManagementCommitteeRules.isOwnerRepresentative(CommitteeView.seat($0.role)) }.map(\.id))
            let present = Set(m.present)
            var errors = FieldErrors()
            if !present.isSubset(of: members) { errors.add("present", "unknown_reference", "members of the 物管会") }
            if m.heldOn > ctx.todayDate { errors.add("heldOn", "in_future", "not after today") }
            if m.heldOn < k.termStart { errors.add("heldOn", "before_start", "not before the 物管会 was formed") }
            if let end = k.termEnd, m.heldOn > end { errors.add("heldOn", "after_end", "not after the 物管会's term ended (\(end))") }
            if m.calledBy == "members" && !ManagementCommitteeRules.mustCall(requests: m.requests, members: members.count) {
                errors.add("requests", "below_share", "a meeting the members call needs at least a third of them asking")
            }
            if m.subject.trimmingCharacters(in: .whitespaces).isEmpty || m.subject.count > 200 { errors.add("subject", "required", "the subject, at most 200 characters") }
            if m.minutes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("minutes", "required", "the minutes") }
            for (i, d) in m.decisions.enumerated() {
                if d.text.trimmingCharacters(in: .whitespaces).isEmpty || d.text.count > 500 { errors.add("decisions[\(i)].text", "required", "the decision, at most 500 characters") }
                if !Set(d.signatures).isSubset(of: members) { errors.add("decisions[\(i)].signatures", "unknown_reference", "members of the 物管会") }
            }
            let quorate = ManagementCommitteeRules.isQuorate(present: present.count, members: members.count,
                                                             ownerRepsPresent: present.intersection(ownerReps).count, ownerReps: ownerReps.count)
            if !quorate && !m.decisions.isEmpty { errors.add("present", "not_quorate", "without a quorum the meeting decides nothing") }
            try errors.throwIfAny()
            let meeting = UUID.random(), now = Bind.date(ctx.now)
            let outcomes = m.decisions.map { ($0.text, Set($0.signatures).count, ManagementCommitteeRules.decisionPasses(signatures: Set($0.signatures).count, members: members.count)) }
            let lines = outcomes.enumerated().map { "\($0.offset + 1). \($0.element.0)（\($0.element.1)/\(members.count) 人签字，\($0.element.2 ? "通过" : "未通过")）" }
            try await NoticeService.postSystem(ctx, .committeeMinutes, compound: k.compoundId, title: "\(k.compoundName)物管会会议纪要（\(m.heldOn)）",
                                               body: "议题：\(m.subject)\n出席 \(present.count)/\(members.count) 人\n\n\(m.minutes)" + (lines.isEmpty ? "" : "\n\n决定：\n" + lines.joined(separator: "\n")),
                                               ref: meeting, on: tx)
            let notice = try await tx.sql().raw("SELECT id FROM notices WHERE ref_id = \(bind: meeting)").first()?.decode(column: "id", as: UUID.self)
            try await tx.sql().insert(into: "management_meetings").columns("id", "committee_id", "held_on", "called_by", "requests", "present", "members", "present_count",
                                                                           "owner_reps", "owner_reps_present", "quorate", "subject", "minutes", "posted_on", "notice_id",
                                                                           "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(meeting), Bind.uuid(id), Bind.text(m.heldOn.description), Bind.text(m.calledBy), Bind.int(m.requests),
                         Bind.text(present.map(\.text).sorted().joined(separator: ",")), Bind.int(members.count), Bind.int(present.count), Bind.int(ownerReps.count),
                         Bind.int(present.intersection(ownerReps).count), Bind.bool(quorate), Bind.text(m.subject), Bind.text(m.minutes), Bind.text(ctx.today),
                         Bind.uuid(notice), Bind.text(ctx.actor.label), now, now]).run()
            for (i, o) in outcomes.enumerated() {
                try await tx.sql().insert(into: "management_decisions").columns("id", "meeting_id", "position", "text", "signatures", "passed", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(meeting), Bind.int(i + 1), Bind.text(o.0), Bind.int(o.1), Bind.bool(o.2), now, now]).run()
            }
            try await audit.record(ctx, action: "meeting", entity: "committees", entityId: id, districtId: k.districtId, before: nil,
                                   after: .object(["heldOn": .string(m.heldOn.description), "quorate": .bool(quorate), "decisions": .int(Int64(outcomes.count))]), on: tx)
            return meeting
        }
    }

    func duty(_ ctx: AccessContext, committee id: UUID, kind: ManagementDuty, on day: CivilDate, note: String) async throws -> UUID {
        try await db.transaction { tx in
            let k = try await managementForWriting(ctx, id, on: tx)
            var errors = FieldErrors()
            if day > ctx.todayDate { errors.add("on", "in_future", "not after today") }
            if day < k.termStart { errors.add("on", "before_start", "not before the 物管会 was formed") }
            if let end = k.termEnd, day > end { errors.add("on", "after_end", "not after the 物管会's term ended (\(end))") }
            if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || note.count > 2_000 { errors.add("note", "required", "what was done, at most 2,000 characters") }
            try errors.throwIfAny()
            let entry = UUID.random(), now = Bind.date(ctx.now)
            try await tx.sql().insert(into: "management_duties").columns("id", "committee_id", "kind", "done_on", "note", "recorded_by", "created_at", "updated_at")
                .values([Bind.uuid(entry), Bind.uuid(id), Bind.text(kind.rawValue), Bind.text(day.description), Bind.text(note), Bind.text(ctx.actor.label), now, now]).run()
            try await audit.record(ctx, action: "duty", entity: "committees", entityId: id, districtId: k.districtId, before: nil,
                                   after: .object(["kind": .string(kind.rawValue), "on": .string(day.description)]), on: tx)
            return entry
        }
    }

    func meetings(_ id: UUID) async throws -> [ManagementMeeting] {
        var out = try await db.sql().raw("SELECT * FROM management_meetings WHERE committee_id = \(bind: id) ORDER BY held_on DESC, created_at DESC").all().map { r in
            ManagementMeeting(id: try r.decode(column: "id", as: UUID.self), heldOn: CivilDate(try r.decode(column: "held_on", as: String.self))!,
                              calledBy: try r.decode(column: "called_by", as: String.self), requests: try r.decode(column: "requests", as: Int64.self),
                              members: try r.decode(column: "members", as: Int64.self), present: try r.decode(column: "present_count", as: Int64.self),
                              ownerReps: try r.decode(column: "owner_reps", as: Int64.self), ownerRepsPresent: try r.decode(column: "owner_reps_present", as: Int64.self),
                              quorate: try r.decode(column: "quorate", as: Bool.self), subject: try r.decode(column: "subject", as: String.self),
                              minutes: try r.decode(column: "minutes", as: String.self), postedOn: CivilDate(try r.decode(column: "posted_on", as: String.self))!,
                              noticeId: try r.decode(column: "notice_id", as: UUID?.self), recordedBy: try r.decode(column: "recorded_by", as: String.self), decisions: [])
        }
        for i in out.indices {
            out[i].decisions = try await db.sql().raw("SELECT text, signatures, passed FROM management_decisions WHERE meeting_id = \(bind: out[i].id) ORDER BY position").all().map {
                ManagementMeeting.Decision(text: try $0.decode(column: "text", as: String.self), signatures: try $0.decode(column: "signatures", as: Int64.self),
                                           passed: try $0.decode(column: "passed", as: Bool.self))
            }
        }
        return out
    }

    func duties(_ id: UUID) async throws -> [ManagementDutyEntry] {
        try await db.sql().raw("SELECT * FROM management_duties WHERE committee_id = \(bind: id) ORDER BY done_on DESC, created_at DESC LIMIT 500").all().map { r in
            ManagementDutyEntry(id: try r.decode(column: "id", as: UUID.self), kind: ManagementDuty(rawValue: try r.decode(column: "kind", as: String.self)) ?? .opinions,
                                on: CivilDate(try r.decode(column: "done_on", as: String.self))!, note: try r.decode(column: "note", as: String.self),
                                recordedBy: try r.decode(column: "recorded_by", as: String.self))
        }
    }

    /// The 物管会s and owners' committees the caller sees, newest first.
    func committees(_ ctx: AccessContext) async throws -> [(id: UUID, compound: String, kind: CommitteeKind, termStart: String, termEnd: String?)] {
        try await db.sql().raw("""
            SELECT k.id, p.name, k.kind, k.term_start, k.term_end FROM committees k JOIN compounds p ON p.id = k.compound_id
            JOIN (SELECT p2.id AS compound_id, cm2.id AS community_id, st2.id AS street_id, st2.district_id FROM compounds p2 JOIN communities cm2 ON cm2.id = p2.community_id
                  JOIN streets st2 ON st2.id = cm2.street_id) y ON y.compound_id = k.compound_id WHERE k.kind = 'management_committee' AND
            """ + " " + Self.visible(ctx.actor, alias: "y") + " ORDER BY k.term_start DESC LIMIT 300").all().map { r in
            (try r.decode(column: "id", as: UUID.self), try r.decode(column: "name", as: String.self),
             CommitteeKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .managementCommittee,
             try r.decode(column: "term_start", as: String.self), try r.decode(column: "term_end", as: String?.self))
        }
    }
}
