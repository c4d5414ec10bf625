import Crypto
import Domain
import FluentKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SQLKit

/// Where codes for phones go. No SMS gateway is reachable from a district's own servers by
/// default, so the default writes each message to an outbox that the compound's community staff
/// read out; `GONGZHI_SMS_WEBHOOK` sends each one as JSON to a real gateway instead (and keeps it in
/// the outbox, marked delivered).
struct CodeSender: Sendable {
    let database: AppDatabase
    let webhook: URL?

    func send(_ phone: String, _ text: String, compound: UUID?, now: Date) async throws {
        let id = UUID.random()
        try await database.db.sql().insert(into: "outbox").columns("id", "compound_id", "recipient", "body", "delivered_at", "created_at", "updated_at")
            .values([Bind.uuid(id), Bind.uuid(compound), Bind.text(phone), Bind.text(text), SQLLiteral.null, Bind.date(now), Bind.date(now)]).run()
        guard let webhook else { return }
        var request = URLRequest(url: webhook)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = JSONValue.object(["phone": .string(phone), "text": .string(text)]).encoded()
        if let (_, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) {
            try await database.db.sql().raw("UPDATE outbox SET delivered_at = \(bind: now) WHERE id = \(bind: id)").run()
        }
    }
}

/// A registration waiting for (or past) the community's review.
struct RegistrationRecord: Sendable {
    let id: UUID, kind: String, name: String, phone: String, username: String, compoundId: UUID?, compoundName: String?, roomLabel: String?
    let status: String, reason: String?, hasPhoto: Bool, createdAt: Date, userId: UUID?
}

/// Owners who register themselves (matched by the certificate number of a room, kept only as a
/// keyed hash, else reviewed by the community with the certificate's photo), tenants invited by
/// an owner's code, and the phone codes both need.
struct RegistrationService: Sendable {
    let database: AppDatabase
    let auth: AuthService
    let store: ResourceStore
    let key: [UInt8]
    let sender: CodeSender
    let uploads: UploadStore
    let audit = AuditLog()
    var db: any Database { database.db }

    /// The keyed hash a certificate number is stored as (never the number itself).
    func certificateHash(_ number: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(("certificate:" + Registration.normalizedCertificate(number)).utf8), using: SymmetricKey(data: key))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    func codeHash(_ phone: String, _ code: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(("code:\(phone):\(code)").utf8), using: SymmetricKey(data: key))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Certificates on record

    /// Staff record the certificate number of an ownership (stored as its keyed hash).
    func setCertificate(_ ctx: AccessContext, ownership: UUID, number: String) async throws {
        let spec = store.catalog["ownerships"]!
        try await store.access.authorize(ctx, .update, spec, id: ownership, on: db)
        let normalized = Registration.normalizedCertificate(number)
        guard Registration.plausibleCertificate(normalized) else {
            throw DomainError.invalid([FieldError(field: "number", code: "invalid_format", message: "a property certificate number such as 京(2019)朝阳区不动产权第0012345号")])
        }
        try await db.transaction { tx in
            try await tx.sql().raw("UPDATE ownerships SET certificate_hash = \(bind: certificateHash(normalized)), updated_at = \(bind: ctx.now) WHERE id = \(bind: ownership)").run()
            try await audit.record(ctx, action: "certificate", entity: "ownerships", entityId: ownership,
                                   districtId: try await store.access.district(spec, id: ownership, on: tx), before: nil, after: nil, on: tx)
        }
    }

    // MARK: - Phone codes

    /// Sends a six-digit code to a phone (at most one a minute), through the sender.
    func sendCode(phone: String, compound: UUID?, now: Date) async throws {
        guard Registration.validPhone(phone) else { throw DomainError.invalid([FieldError(field: "phone", code: "invalid_format", message: "an 11-digit mobile number")]) }
        if let last = try await db.sql().raw("SELECT MAX(created_at) AS t FROM phone_codes WHERE phone = \(bind: phone)").first()?.decode(column: "t", as: Date?.self),
           now.timeIntervalSince(last) < Registration.codeInterval {
            throw DomainError.conflict(code: "code_too_soon", message: "a code was sent less than a minute ago")
        }
        var g = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &g))
        try await db.sql().insert(into: "phone_codes").columns("id", "phone", "code_hash", "expires_at", "attempts", "used_at", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.text(phone), Bind.text(codeHash(phone, code)), Bind.date(now.addingTimeInterval(Registration.codeLifetime)), Bind.int(0),
                     SQLLiteral.null, Bind.date(now), Bind.date(now)]).run()
        try await sender.send(phone, "【共治】您的验证码是 \(code)，10 分钟内有效。请勿告诉他人。", compound: compound, now: now)
    }

    /// Checks the phone's latest code: right, within its life and its tries (a wrong try counts).
    /// Returns the code's id, to be used up by `useCode` on the registration's own transaction.
    func checkCode(phone: String, code: String, now: Date) async throws -> UUID {
        guard let row = try await db.sql().raw("SELECT * FROM phone_codes WHERE phone = \(bind: phone) ORDER BY created_at DESC LIMIT 1").first() else {
            throw DomainError.invalid([FieldError(field: "code", code: "wrong_code", message: "ask for a code first")])
        }
        let id = try row.decode(column: "id", as: UUID.self)
        guard Registration.codeUsable(expiresAt: try row.decode(column: "expires_at", as: Date.self), attempts: try row.decode(column: "attempts", as: Int.self),
                                      usedAt: try row.decode(column: "used_at", as: Date?.self), now: now) else {
            throw DomainError.invalid([FieldError(field: "code", code: "code_expired", message: "the code has expired or was tried too often; ask for a new one")])
        }
        guard try row.decode(column: "code_hash", as: String.self) == codeHash(phone, code.trimmingCharacters(in: .whitespaces)) else {
            try await db.sql().raw("UPDATE phone_codes SET attempts = attempts + 1 WHERE id = \(bind: id)").run()
            throw DomainError.invalid([FieldError(field: "code", code: "wrong_code", message: "the code is wrong")])
        }
        return id
    }

    /// Uses a checked code up, once: two registrations racing on one code cannot both pass.
    func useCode(_ id: UUID, now: Date, on tx: any Database) async throws {
        guard try await tx.sql().raw("UPDATE phone_codes SET used_at = \(bind: now) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id").first() != nil else {
            throw DomainError.invalid([FieldError(field: "code", code: "code_expired", message: "the code was used; ask for a new one")])
        }
    }

    // MARK: - Registering

    struct Applicant: Sendable {
        var name: String, phone: String, code: String, username: String, password: String
        var certificate: String?, compoundId: UUID?, roomLabel: String?, invitation: String?
        var photo: (bytes: [UInt8], contentType: String)?
    }

    /// An owner registers with a certificate number (matched → an account at once; else waiting
    /// for review with the photo), or a tenant with an owner's invitation code.
    func register(_ a: Applicant, address: String?, now: Date) async throws -> (status: String, userId: UUID?) {
        var errors = FieldErrors()
        if a.name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("name", "required", "your name as on the certificate") }
        if !Registration.validPhone(a.phone) { errors.add("phone", "invalid_format", "an 11-digit mobile number") }
        if a.password.count < 8 { errors.add("password", "too_short", "a password needs at least 8 characters") }
        let name = a.username.trimmingCharacters(in: .whitespaces)
        if !AccountRules.validUsername(name) {
            errors.add("username", "invalid_format", "a username is 3–40 letters, digits, dots, dashes or underscores")
        }
        if a.invitation == nil {
            if a.compoundId == nil { errors.add("compoundId", "required", "the compound") }
            if !Registration.plausibleCertificate(Registration.normalizedCertificate(a.certificate ?? "")) {
                errors.add("certificate", "invalid_format", "the property certificate number")
            }
        }
        try errors.throwIfAny()
        let code = try await checkCode(phone: a.phone, code: a.code, now: now)
        let hashed = try await auth.hash(a.password)
        let system = AccessContext(actor: .system("register"), source: "register", address: address, now: now)
        return try await db.transaction { tx in
            let taken = try await tx.sql().raw("SELECT id FROM users WHERE username = \(bind: name)").first() != nil
            let waiting = try await tx.sql().raw("SELECT id FROM registrations WHERE username = \(bind: name) AND status = 'pending'").first() != nil
            if taken || waiting { throw DomainError.invalid([FieldError(field: "username", code: "username_taken", message: "the username is taken")]) }
            try await useCode(code, now: now, on: tx)
            if let invitation = a.invitation { return try await joinAsTenant(a, username: name, hashed: hashed, code: invitation, ctx: system, on: tx) }
            let certificate = certificateHash(a.certificate ?? "")
            let owners = try await tx.sql().raw("""
                SELECT DISTINCT o.id, o.name FROM ownerships s JOIN owners o ON o.id = s.owner_id JOIN rooms r ON r.id = s.room_id
                JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id
                WHERE s.certificate_hash = \(bind: certificate) AND b.compound_id = \(bind: a.compoundId!)
                """).all().map { (id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self)) }
            let id = UUID.random()
            switch Registration.match(name: a.name, owners: owners) {
            case .owner(let owner):
                if try await tx.sql().raw("SELECT g.id FROM role_grants g WHERE g.role = 'owner' AND g.scope_id = \(bind: owner)").first() != nil {
                    throw DomainError.conflict(code: "already_registered", message: "this owner has an account; sign in, or ask the community to reset it")
                }
                let user = try await insertUser(username: name, hashed: hashed, displayName: a.name, role: .owner, scope: owner, ctx: system, on: tx)
                try await tx.sql().raw("UPDATE owners SET phone = COALESCE(phone, \(bind: a.phone)) WHERE id = \(bind: owner)").run()
                try await insertRegistration(id, a, username: name, hashed: hashed, certificate: certificate, status: "approved", user: user, photo: nil, now: now, on: tx)
                return ("approved", user)
            case .review:
                guard let photo = a.photo, RequestPhotos.kind(photo.bytes, contentType: photo.contentType) != nil else {
                    throw DomainError.invalid([FieldError(field: "photo", code: "required", message: "no owner of record matches: attach a photo of the certificate for the community to check")])
                }
                let stored = UploadStore.name(folder: "certificates", id: id, ext: photo.contentType == "image/png" ? "png" : "jpg")
                _ = try await uploads.write(photo.bytes, as: stored)
                try await insertRegistration(id, a, username: name, hashed: hashed, certificate: certificate, status: "pending", user: nil,
                                             photo: (stored, photo.contentType), now: now, on: tx)
                return ("pending", nil)
            }
        }
    }

    func insertUser(username: String, hashed: String, displayName: String, role: Role, scope: UUID, ctx: AccessContext, on tx: any Database) async throws -> UUID {
        guard let grant = try await auth.resolve(Grant(role: role, scopeId: scope), on: tx) else { throw DomainError.notFound(entity: role.scopeKind.rawValue, id: scope.text) }
        let id = UUID.random(), now = Bind.date(ctx.now)
        try await tx.sql().insert(into: "users").columns("id", "username", "password_hash", "display_name", "language", "disabled", "password_changed_count", "created_at", "updated_at")
            .values([Bind.uuid(id), Bind.text(username), Bind.text(hashed), Bind.text(displayName), Bind.text("zh-Hans"), Bind.bool(false), Bind.int(0), now, now]).run()
        try await tx.sql().insert(into: "role_grants").columns("id", "user_id", "role", "scope_id", "district_id", "created_at", "updated_at")
            .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.text(role.rawValue), Bind.uuid(scope), Bind.uuid(grant.districtId), now, now]).run()
        try await audit.record(ctx, action: "register", entity: "users", entityId: id, districtId: grant.districtId, before: nil,
                               after: .object(["username": .string(username), "role": .string(role.rawValue), "scopeId": .string(scope.text)]), on: tx)
        return id
    }

    func insertRegistration(_ id: UUID, _ a: Applicant, username: String, hashed: String, certificate: String?, status: String, user: UUID?,
                            photo: (String, String)?, now: Date, on tx: any Database) async throws {
        try await tx.sql().insert(into: "registrations").columns("id", "kind", "name", "phone", "username", "password_hash", "certificate_hash", "compound_id", "room_label",
                                                                  "photo_name", "photo_type", "status", "reason", "user_id", "reviewed_by", "reviewed_at", "created_at", "updated_at")
            .values([Bind.uuid(id), Bind.text(a.invitation == nil ? "owner" : "tenant"), Bind.text(a.name), Bind.text(a.phone), Bind.text(username), Bind.text(hashed),
                     Bind.text(certificate), Bind.uuid(a.compoundId), Bind.text(a.roomLabel), Bind.text(photo?.0), Bind.text(photo?.1), Bind.text(status), SQLLiteral.null,
                     Bind.uuid(user), SQLLiteral.null, SQLLiteral.null, Bind.date(now), Bind.date(now)]).run()
    }

    // MARK: - Review

    /// Pending registrations of the compounds the caller's community, street or district covers.
    func pending(_ ctx: AccessContext) async throws -> [RegistrationRecord] {
        let chain = store.access.chain(store.catalog["compounds"]!)
        let staff = try Self.staff(ctx.actor)
        return try await db.sql().raw("""
            SELECT g.*, p.name AS compound_name FROM registrations g JOIN compounds p ON p.id = g.compound_id
            WHERE g.status = 'pending' AND g.compound_id IN (SELECT t0.id FROM \(unsafeRaw: chain.from) WHERE \(ctx.scope.visible(staff, chain)))
            ORDER BY g.created_at
            """).all().map(Self.record)
    }

    func registration(_ ctx: AccessContext, _ id: UUID, on db: (any Database)? = nil) async throws -> RegistrationRecord {
        let db = db ?? self.db
        guard let row = try await db.sql().raw("""
            SELECT g.*, p.name AS compound_name FROM registrations g LEFT JOIN compounds p ON p.id = g.compound_id WHERE g.id = \(bind: id)
            """).first() else { throw DomainError.notFound(entity: "registrations", id: id.text) }
        let r = try Self.record(row)
        guard let compound = r.compoundId, (try? await store.access.authorize(ctx, .update, store.catalog["compounds"]!, id: compound, on: db)) != nil
                || ctx.actor.isSystem else { throw DomainError.notFound(entity: "registrations", id: id.text) }
        return r
    }

    /// The certificate photo, to its reviewers.
    func photo(_ ctx: AccessContext, _ id: UUID) async throws -> (bytes: [UInt8], type: String) {
        _ = try await registration(ctx, id)
        guard let row = try await db.sql().raw("SELECT photo_name, photo_type FROM registrations WHERE id = \(bind: id)").first(),
              let name = try row.decode(column: "photo_name", as: String?.self), let data = try await uploads.read(name) else {
            throw DomainError.notFound(entity: "photos", id: id.text)
        }
        return (Array(data.readableBytesView), try row.decode(column: "photo_type", as: String?.self) ?? "image/jpeg")
    }

    /// The caller as community, street or district staff only: who reviews registrations and reads the outbox.
    static func staff(_ actor: Actor) throws -> Actor {
        let grants = actor.grants.filter { [.districtAdmin, .streetStaff, .communityStaff].contains($0.role) }
        guard !grants.isEmpty else { throw DomainError.forbidden(reason: "community, street and district staff review registrations") }
        return Actor(kind: actor.kind, id: actor.id, label: actor.label, grants: grants)
    }

    /// Owners of record in the registration's compound whose name matches, to approve it as.
    func candidates(_ r: RegistrationRecord, on db: (any Database)? = nil) async throws -> [(id: UUID, label: String)] {
        guard let compound = r.compoundId else { return [] }
        return try await (db ?? self.db).sql().raw("""
            SELECT DISTINCT o.id, o.name || ' · ' || b.number || ' ' || e.number || ' ' || rm.number AS label FROM owners o JOIN ownerships s ON s.owner_id = o.id
            JOIN rooms rm ON rm.id = s.room_id JOIN entrances e ON e.id = rm.entrance_id JOIN buildings b ON b.id = e.building_id
            WHERE b.compound_id = \(bind: compound) AND \(SQLSearch.contains("o.name", r.name.filter { !$0.isWhitespace }))
            ORDER BY label LIMIT 20
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "label", as: String.self)) }
    }

    /// Approves as an owner of record (who gets the account), or refuses with a reason.
    func review(_ ctx: AccessContext, _ id: UUID, approveAs owner: UUID?, reason: String?) async throws -> RegistrationRecord {
        try await db.transaction { tx in
            let r = try await registration(ctx, id, on: tx)
            guard r.status == "pending" else { throw DomainError.conflict(code: "already_reviewed", message: "the registration was reviewed") }
            if let owner {
                guard try await candidates(r, on: tx).contains(where: { $0.id == owner }) else {
                    throw DomainError.invalid([FieldError(field: "ownerId", code: "unknown_reference", message: "not an owner of record of this compound with that name")])
                }
                if try await tx.sql().raw("SELECT id FROM role_grants WHERE role = 'owner' AND scope_id = \(bind: owner)").first() != nil {
                    throw DomainError.conflict(code: "already_registered", message: "this owner has an account")
                }
                let hashed = try await tx.sql().raw("SELECT password_hash FROM registrations WHERE id = \(bind: id)").first()!.decode(column: "password_hash", as: String.self)
                let user = try await insertUser(username: r.username, hashed: hashed, displayName: r.name, role: .owner, scope: owner, ctx: ctx, on: tx)
                try await tx.sql().raw("""
                    UPDATE registrations SET status = 'approved', user_id = \(bind: user), reviewed_by = \(bind: ctx.actor.label), reviewed_at = \(bind: ctx.now),
                    password_hash = '', updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                    """).run()
            } else {
                guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw DomainError.invalid([FieldError(field: "reason", code: "required", message: "say why, so the owner can put it right")])
                }
                try await tx.sql().raw("""
                    UPDATE registrations SET status = 'rejected', reason = \(bind: reason), reviewed_by = \(bind: ctx.actor.label), reviewed_at = \(bind: ctx.now),
                    password_hash = '', updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                    """).run()
            }
            try await audit.record(ctx, action: owner == nil ? "reject" : "approve", entity: "registrations", entityId: id, districtId: nil, before: nil,
                                   after: owner.map { .object(["ownerId": .string($0.text)]) } ?? .object(["reason": .string(reason ?? "")]), on: tx)
            return try await registration(ctx, id, on: tx)
        }
    }

    static func record(_ row: any SQLRow) throws -> RegistrationRecord {
        RegistrationRecord(id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self), name: try row.decode(column: "name", as: String.self),
                           phone: try row.decode(column: "phone", as: String.self), username: try row.decode(column: "username", as: String.self),
                           compoundId: try row.decode(column: "compound_id", as: UUID?.self), compoundName: try row.decode(column: "compound_name", as: String?.self),
                           roomLabel: try row.decode(column: "room_label", as: String?.self), status: try row.decode(column: "status", as: String.self),
                           reason: try row.decode(column: "reason", as: String?.self), hasPhoto: try row.decode(column: "photo_name", as: String?.self) != nil,
                           createdAt: try row.decode(column: "created_at", as: Date.self), userId: try row.decode(column: "user_id", as: UUID?.self))
    }

    // MARK: - Tenants

    /// An owner invites a tenant to one of their rooms: a code shown once, good for seven days.
    func invite(_ ctx: AccessContext, room: UUID) async throws -> String {
        let owners = ctx.actor.grants.filter { $0.role == .owner }.map(\.scopeId)
        guard let owner = try await db.sql().raw("SELECT owner_id FROM ownerships WHERE room_id = \(bind: room) AND owner_id IN \(SQLIDs.list(owners))").first()?
            .decode(column: "owner_id", as: UUID.self) else { throw DomainError.notFound(entity: "rooms", id: room.text) }
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        let code = String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
        try await db.transaction { tx in
            try await tx.sql().insert(into: "invitations").columns("id", "room_id", "owner_id", "code_hash", "expires_at", "used_at", "resident_id", "created_at", "updated_at")
                .values([Bind.uuid(UUID.random()), Bind.uuid(room), Bind.uuid(owner), Bind.text(Credentials.hash(code)), Bind.date(ctx.now.addingTimeInterval(Registration.invitationLifetime)),
                         SQLLiteral.null, SQLLiteral.null, Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            try await audit.record(ctx, action: "invite", entity: "rooms", entityId: room, districtId: nil, before: nil, after: nil, on: tx)
        }
        return code
    }

    func joinAsTenant(_ a: Applicant, username: String, hashed: String, code: String, ctx: AccessContext, on tx: any Database) async throws -> (status: String, userId: UUID?) {
        guard let row = try await tx.sql().raw("SELECT * FROM invitations WHERE code_hash = \(bind: Credentials.hash(code.uppercased().filter { !$0.isWhitespace }))").first(),
              try row.decode(column: "used_at", as: Date?.self) == nil, try row.decode(column: "expires_at", as: Date.self) > ctx.now else {
            throw DomainError.invalid([FieldError(field: "invitation", code: "invalid_invitation", message: "the invitation code is wrong, used or expired")])
        }
        let room = try row.decode(column: "room_id", as: UUID.self)
        let resident = UUID.random(), now = Bind.date(ctx.now)
        try await tx.sql().insert(into: "residents").columns("id", "room_id", "name", "phone", "created_at", "updated_at")
            .values([Bind.uuid(resident), Bind.uuid(room), Bind.text(a.name), Bind.text(a.phone), now, now]).run()
        let user = try await insertUser(username: username, hashed: hashed, displayName: a.name, role: .resident, scope: resident, ctx: ctx, on: tx)
        try await tx.sql().raw("UPDATE invitations SET used_at = \(bind: ctx.now), resident_id = \(bind: resident) WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
        try await insertRegistration(UUID.random(), a, username: username, hashed: "", certificate: nil, status: "approved", user: user, photo: nil, now: ctx.now, on: tx)
        return ("approved", user)
    }

    /// Tenants an owner invited to a room, still living there.
    func tenants(_ ctx: AccessContext, room: UUID) async throws -> [(residentId: UUID, name: String, since: Date)] {
        let owners = ctx.actor.grants.filter { $0.role == .owner }.map(\.scopeId)
        guard try await db.sql().raw("SELECT 1 AS x FROM ownerships WHERE room_id = \(bind: room) AND owner_id IN \(SQLIDs.list(owners))").first() != nil else {
            throw DomainError.notFound(entity: "rooms", id: room.text)
        }
        return try await db.sql().raw("""
            SELECT r.id, r.name, i.used_at FROM invitations i JOIN residents r ON r.id = i.resident_id WHERE i.room_id = \(bind: room) ORDER BY i.used_at
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self), try $0.decode(column: "used_at", as: Date.self)) }
    }

    /// The owner ends a tenancy: the tenant's role on the room and the resident record go.
    func endTenancy(_ ctx: AccessContext, room: UUID, resident: UUID) async throws {
        guard try await tenants(ctx, room: room).contains(where: { $0.residentId == resident }) else { throw DomainError.notFound(entity: "residents", id: resident.text) }
        try await db.transaction { tx in
            let users = try await tx.sql().raw("SELECT user_id FROM role_grants WHERE role = 'resident' AND scope_id = \(bind: resident)").all()
                .map { try $0.decode(column: "user_id", as: UUID.self) }
            try await tx.sql().raw("DELETE FROM role_grants WHERE role = 'resident' AND scope_id = \(bind: resident)").run()
            for u in users { try await tx.sql().raw("UPDATE sessions SET revoked_at = \(bind: ctx.now) WHERE user_id = \(bind: u) AND revoked_at IS NULL").run() }
            try await tx.sql().raw("UPDATE invitations SET resident_id = NULL WHERE resident_id = \(bind: resident)").run()
            try await tx.sql().raw("DELETE FROM residents WHERE id = \(bind: resident)").run()
            try await audit.record(ctx, action: "end-tenancy", entity: "rooms", entityId: room, districtId: nil, before: .object(["residentId": .string(resident.text)]),
                                   after: nil, on: tx)
        }
        auth.sessions.clear()
    }

    /// Messages of the outbox for the compounds the caller's community, street or district covers, newest first.
    func outbox(_ ctx: AccessContext) async throws -> [(recipient: String, body: String, at: Date, delivered: Bool)] {
        let chain = store.access.chain(store.catalog["compounds"]!)
        let staff = try Self.staff(ctx.actor)
        return try await db.sql().raw("""
            SELECT recipient, body, created_at, delivered_at FROM outbox WHERE compound_id IN (SELECT t0.id FROM \(unsafeRaw: chain.from) WHERE \(ctx.scope.visible(staff, chain)))
            AND created_at > \(bind: ctx.now.addingTimeInterval(-86_400)) ORDER BY created_at DESC LIMIT 200
            """).all().map { (try $0.decode(column: "recipient", as: String.self), try $0.decode(column: "body", as: String.self), try $0.decode(column: "created_at", as: Date.self),
                              try $0.decode(column: "delivered_at", as: Date?.self) != nil) }
    }
}
