import Foundation

/// How an actor stands towards one request; the App finds these facts, the rules below decide.
public struct RequestStanding: Sendable, Hashable {
    /// Filed it (their account is the reporter).
    public var reporter = false
    /// Handles it now: staff of the handling company, community or department.
    public var handler = false
    /// Staff whose community, street or district contains the compound (they oversee it).
    public var overseer = false
    /// Street staff or district admin over the compound (they may blow the whistle).
    public var streetLevel = false
    /// The compound's committee, or a department summoned to the request's whistle case: may read.
    public var reader = false

    public init(reporter: Bool = false, handler: Bool = false, overseer: Bool = false, streetLevel: Bool = false, reader: Bool = false) {
        self.reporter = reporter; self.handler = handler; self.overseer = overseer; self.streetLevel = streetLevel; self.reader = reader
    }

    /// Sees the request at all; anyone else gets 404.
    public var sees: Bool { reporter || handler || overseer || streetLevel || reader }
}

/// The kinds of request event, without their data (for permissions and timelines).
public enum RequestEventKind: String, RegistryCode, Codable {
    case receive, dispatch, transfer, respond, start, escalate, resolve, rate, close, note, photo
    /// Closed as a duplicate of another request, whose reporters it joins; or, on the one that
    /// carries on, a duplicate merged in.
    case merge
    /// A resident joined the request instead of filing the same problem again.
    case join
    /// Put on the dispute register as a dispute (its number in the note); the request carries on.
    case dispute

    public init(_ event: RequestEvent) {
        switch event {
        case .dispatch: self = .dispatch
        case .transfer: self = .transfer
        case .respond: self = .respond
        case .start: self = .start
        case .escalate: self = .escalate
        case .resolve: self = .resolve
        case .rate: self = .rate
        case .close: self = .close
        }
    }
}

/// What a request's photo shows: the problem as reported, or the finished work its handler shows
/// the reporter before they rate.
public enum PhotoStage: String, Sendable, Codable, CaseIterable {
    case report, completion
}

/// Who may do what to a request.
public enum RequestRules {
    /// A photo from the request's handler (who did not also report it) shows the finished work;
    /// any other shows the problem.
    public static func photoStage(_ s: RequestStanding) -> PhotoStage {
        s.handler && !s.reporter ? .completion : .report
    }

    /// - Re-routing is for overseers (community, street, district staff).
    /// - Responding, starting work and resolving are for the handler, or an overseer acting for it.
    /// - Whistle cases are opened by the street (or district).
    /// - The reporter rates; overseers record the rating of a reporter without an account
    ///   (the hotline's return call), and may close a rated request as the reporter may.
    public static func may(_ kind: RequestEventKind, _ s: RequestStanding, reporterHasAccount: Bool) -> Bool {
        switch kind {
        case .receive: s.sees
        case .dispatch, .transfer: s.overseer
        case .respond, .start, .resolve: s.handler || s.overseer
        case .escalate: s.streetLevel
        case .rate: s.reporter || (!reporterHasAccount && s.overseer)
        case .close: s.reporter || s.overseer
        case .note, .photo: s.reporter || s.handler || s.overseer
        case .merge: s.overseer
        // Joining is for residents of the compound who do not see the request yet: checked where they join.
        case .join: false
        // Putting a request on the dispute register is the overseers' (its own route, not a transition).
        case .dispute: s.overseer
        }
    }

    /// The events the actor may give a request now: permitted by standing and possible from its
    /// status. Pages show these as forms; the API lists them as `allowed`.
    public static func allowed(_ status: RequestStatus, _ s: RequestStanding, reporterHasAccount: Bool) -> [RequestEventKind] {
        RequestEventKind.allCases.filter { kind in
            guard may(kind, s, reporterHasAccount: reporterHasAccount) else { return false }
            switch kind {
            case .receive, .dispatch: return false
            case .note, .photo: return true
            case .merge: return Duplicates.open(status)
            case .join: return false
            // Offered in any state (its own route): a neighbours' quarrel can outlast the repair.
            case .dispute: return true
            // Any rating is allowed from resolved; the table decides where it leads.
            case .rate: return status == .resolved
            case .transfer: return RequestLifecycle.next(status, .transfer) != nil
            case .respond: return RequestLifecycle.next(status, .respond) != nil
            case .start: return RequestLifecycle.next(status, .start) != nil
            case .escalate: return RequestLifecycle.next(status, .escalate) != nil
            case .resolve: return RequestLifecycle.next(status, .resolve) != nil
            case .close: return RequestLifecycle.next(status, .close) != nil
            }
        }
    }

    /// Phones are shown as `138****5678` on pages.
    public static func maskPhone(_ phone: String) -> String {
        // Phone numbers are ASCII: masked byte by byte (a list masks fifty); anything else by characters.
        if phone.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = Array(phone.utf8)
            guard bytes.count >= 7 else { return String(repeating: "*", count: bytes.count) }
            return String(decoding: bytes[..<3] + Array("****".utf8) + bytes[(bytes.count - 4)...], as: UTF8.self)
        }
        let digits = Array(phone)
        guard digits.count >= 7 else { return String(repeating: "*", count: digits.count) }
        return String(digits.prefix(3)) + "****" + String(digits.suffix(4))
    }
}

/// Where a request sits and who handles it: the facts standing is judged from.
public struct RequestPlace: Sendable, Hashable {
    public var districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID
    public var reporterUserId: UUID?
    /// People who joined the request as further reporters (a duplicate they filed was merged into
    /// it, or they joined it instead of filing): they see and may rate it as its reporter does.
    public var followers: Set<UUID> = []
    public var handlerKind: HandlerKind?
    public var handlerId: UUID?
    /// Departments summoned to the whistle case the request was escalated to.
    public var summonedDepartments: Set<UUID>

    public init(districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, reporterUserId: UUID?,
                handlerKind: HandlerKind?, handlerId: UUID?, summonedDepartments: Set<UUID> = []) {
        self.districtId = districtId; self.streetId = streetId; self.communityId = communityId; self.compoundId = compoundId
        self.reporterUserId = reporterUserId; self.handlerKind = handlerKind; self.handlerId = handlerId; self.summonedDepartments = summonedDepartments
    }
}

extension RequestRules {
    /// How the actor's grants stand towards a request. A company sees the requests it handles
    /// (not every request of a compound it serves); a department those it handles or is summoned to.
    public static func standing(_ actor: Actor, _ p: RequestPlace) -> RequestStanding {
        if actor.isSystem { return RequestStanding(reporter: false, handler: true, overseer: true, streetLevel: true, reader: true) }
        var s = RequestStanding()
        if actor.kind == .user, let me = actor.id, me == p.reporterUserId || p.followers.contains(me) { s.reporter = true }
        for g in actor.grants {
            switch g.role {
            case .districtAdmin where g.scopeId == p.districtId: s.overseer = true; s.streetLevel = true
            case .streetStaff where g.scopeId == p.streetId: s.overseer = true; s.streetLevel = true
            case .communityStaff where g.scopeId == p.communityId: s.overseer = true
            case .committeeMember where g.scopeId == p.compoundId: s.reader = true
            case .departmentLiaison where p.summonedDepartments.contains(g.scopeId): s.reader = true
            default: break
            }
            let handles: Bool = switch (g.role, p.handlerKind) {
            case (.companyStaff, .company?), (.communityStaff, .community?), (.departmentLiaison, .department?), (.streetStaff, .street?): g.scopeId == p.handlerId
            default: false
            }
            if handles { s.handler = true }
        }
        return s
    }
}
