import Domain
import Foundation
import Hummingbird

/// `/api/v1/registrations…`, certificates on record, and tenants' invitations.
struct RegistrationAPI: Sendable {
    let service: RegistrationService

    func register(on routes: RouteTable) {
        routes.openAPI(.post, SiteURL.apiRegistrationCode, OperationDoc("registration-code", "Send a six-digit code to a phone (at most one a minute)", tag: "registration",
                                                                        errors: [409: "A code was sent less than a minute ago"]),
                       body: CodeRequestBody.self, answer: SentAnswer.self) { call, body in
            let compound = try await compound(body.compoundId, invitation: body.invitation)
            try await service.sendCode(phone: body.phone, compound: compound, now: call.now)
            return try RouteTable.encode(SentAnswer(sent: true), status: .ok)
        }
        routes.openAPI(.post, SiteURL.apiRegistrations,
                       OperationDoc("register", "Register: an owner by a room's certificate number (matched at once, else reviewed with the certificate's photo), or a tenant by an owner's invitation",
                                    tag: "registration", errors: [409: "The owner has an account already"]),
                       body: RegistrationBody.self, answer: RegisteredAnswer.self) { call, body in
            let (status, user) = try await service.register(body.applicant, address: call.context.address, now: call.now)
            return try RouteTable.encode(RegisteredAnswer(status: status, userId: user?.text), status: .ok)
        }
        routes.api(.get, SiteURL.apiRegistrations, .signedIn,
                   OperationDoc("list-registrations", "Registrations waiting for review in the caller's community, street or district", tag: "registration")) { call in
            Items(items: try await service.pending(call.access).map(RegistrationAnswer.init))
        }
        routes.api(.post, SiteURL.apiRegistrationReview, .signedIn,
                   OperationDoc("review-registration", "Approve as an owner of record (ownerId), or refuse with a reason", tag: "registration",
                                errors: [409: "Reviewed already, or the owner has an account"]),
                   body: ReviewBody.self) { call, body in
            RegistrationAnswer(try await service.review(call.access, try call.id("registrations"), approveAs: body.ownerId, reason: body.reason))
        }
        routes.api(.put, SiteURL.apiOwnershipCertificate, .signedIn,
                   OperationDoc("set-certificate", "Record an ownership's property certificate number (kept only as a keyed hash)", tag: "registration"),
                   body: CertificateBody.self) { call, body in
            try await service.setCertificate(call.access, ownership: try call.id("ownerships"), number: body.number)
            return NoContent()
        }
        routes.api(.post, SiteURL.apiRoomInvitations, .signedIn,
                   OperationDoc("invite-tenant", "An owner invites a tenant to a room: a code shown once, good for seven days", tag: "registration"),
                   status: .created) { call in
            let code = try await service.invite(call.access, room: try call.id("rooms"))
            return InvitationAnswer(code: code, expiresAt: Timestamp.iso(call.now.addingTimeInterval(Registration.invitationLifetime)))
        }
        routes.api(.get, SiteURL.apiRoomTenants, .signedIn, OperationDoc("list-tenants", "Tenants the owner invited to a room", tag: "registration")) { call in
            Items(items: try await service.tenants(call.access, room: try call.id("rooms")).map {
                TenantAnswer(residentId: $0.residentId.text, name: $0.name, since: Timestamp.iso($0.since))
            })
        }
        routes.api(.post, SiteURL.apiResidentEnd, .signedIn,
                   OperationDoc("end-tenancy", "The owner ends a tenant's stay: the tenant's role on the room ends", tag: "registration")) { call in
            let resident = try call.id("residents")
            guard let room = try await service.db.sql().raw("SELECT room_id FROM residents WHERE id = \(bind: resident)").first()?.decode(column: "room_id", as: UUID.self) else {
                throw DomainError.notFound(entity: "residents", id: resident.text)
            }
            try await service.endTenancy(call.access, room: room, resident: resident)
            return NoContent()
        }
    }

    /// The compound a code's messages belong to: named, or the invitation's room's.
    func compound(_ id: UUID?, invitation: String?) async throws -> UUID? {
        if let id { return id }
        guard let invitation else { return nil }
        return try await service.db.sql().raw("""
            SELECT b.compound_id FROM invitations i JOIN rooms r ON r.id = i.room_id JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
            WHERE i.code_hash = \(bind: Credentials.hash(invitation.uppercased().filter { !$0.isWhitespace }))
            """).first()?.decode(column: "compound_id", as: UUID.self)
    }
}
