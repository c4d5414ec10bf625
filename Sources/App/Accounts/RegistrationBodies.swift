import Domain
import Foundation

/// `POST /api/v1/registrations/code`: a code to a phone (with the compound, or an invitation, whose community reads the outbox).
struct CodeRequestBody: APIBody {
    let phone: String
    let compoundId: UUID?
    let invitation: String?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let phone = r.text("phone", required: true, max: 11, "an 11-digit mobile number")
        compoundId = r.id("compoundId", required: false)
        invitation = r.text("invitation", required: false, max: 20, "the invitation code")
        try r.finish()
        guard let phone else { throw r.failure }
        self.phone = phone
    }

    static var schema: Schema {
        .object([.req("phone", .string(pattern: "^1[3-9][0-9]{9}$")), .opt("compoundId", .nullable(.uuid)), .opt("invitation", .nullable(.string(maxLength: 20)))])
    }
}

/// `POST /api/v1/registrations`: an owner with a certificate number (and, when it matches no owner
/// of record, a photo of the certificate as base64), or a tenant with an invitation code.
struct RegistrationBody: APIBody {
    let applicant: RegistrationService.Applicant

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let name = r.text("name", required: true, max: 50, "your name")
        let phone = r.text("phone", required: true, max: 11, "an 11-digit mobile number")
        let code = r.text("code", required: true, max: 6, "the code sent to the phone")
        let username = r.text("username", required: true, max: 40, "3–40 letters, digits, dots, dashes or underscores")
        let password = r.required("password", String.self, "at least 8 characters")
        let certificate = r.text("certificate", required: false, max: 60, "the property certificate number")
        let compound = r.id("compoundId", required: false)
        let room = r.text("roomLabel", required: false, max: 60, "building, entrance and room")
        let invitation = r.text("invitation", required: false, max: 20, "the invitation code")
        let photo = r.text("certificatePhoto", required: false, max: 8_000_000, "a JPEG or PNG as base64")
        var bytes: [UInt8]?
        if let photo { bytes = Data(base64Encoded: photo).map(Array.init); r.check(bytes != nil, "certificatePhoto", "invalid_format", "a JPEG or PNG as base64") }
        try r.finish()
        guard let name, let phone, let code, let username, let password else { throw r.failure }
        let type = bytes.map { $0.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "image/png" : "image/jpeg" }
        applicant = .init(name: name, phone: phone, code: code, username: username, password: password, certificate: certificate, compoundId: compound,
                          roomLabel: room, invitation: invitation, photo: bytes.map { ($0, type!) })
    }

    static var schema: Schema {
        .object([.req("name", .string(minLength: 1, maxLength: 50)), .req("phone", .string(pattern: "^1[3-9][0-9]{9}$")), .req("code", .string(pattern: "^[0-9]{6}$")),
                 .req("username", .string(minLength: 3, maxLength: 40)), .req("password", .string(minLength: 8, maxLength: 200)),
                 .opt("certificate", .nullable(.string(maxLength: 60))), .opt("compoundId", .nullable(.uuid)), .opt("roomLabel", .nullable(.string(maxLength: 60))),
                 .opt("invitation", .nullable(.string(maxLength: 20))), .opt("certificatePhoto", .nullable(.string()))])
    }
}

/// `POST /api/v1/registrations/{id}/review`: approve as an owner of record, or refuse with a reason.
struct ReviewBody: APIBody {
    let ownerId: UUID?
    let reason: String?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        ownerId = r.id("ownerId", required: false)
        reason = r.text("reason", required: false, max: 500, "at most 500 characters")
        try r.finish()
    }

    static var schema: Schema { .object([.opt("ownerId", .nullable(.uuid)), .opt("reason", .nullable(.string(maxLength: 500)))]) }
}

/// `PUT /api/v1/ownerships/{id}/certificate`.
struct CertificateBody: APIBody {
    let number: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let number = r.text("number", required: true, max: 60, "the property certificate number")
        try r.finish()
        guard let number else { throw r.failure }
        self.number = number
    }

    static var schema: Schema { .object([.req("number", .string(minLength: 1, maxLength: 60))]) }
}

struct SentAnswer: APIAnswer {
    let sent: Bool
    static var schema: Schema { .object([.req("sent", .boolean)]) }
}

struct RegisteredAnswer: APIAnswer {
    let status: String, userId: String?
    static var schema: Schema { .object([.req("status", .choice(["approved", "pending"])), .null("userId", .uuid)]) }
}

struct RegistrationAnswer: APIAnswer {
    let id: String, kind: String, name: String, phone: String, username: String, compoundId: String?, compound: String?, roomLabel: String?, status: String
    let reason: String?, hasPhoto: Bool, createdAt: String

    init(_ r: RegistrationRecord) {
        id = r.id.text; kind = r.kind; name = r.name; phone = r.phone; username = r.username; compoundId = r.compoundId?.text; compound = r.compoundName
        roomLabel = r.roomLabel; status = r.status; reason = r.reason; hasPhoto = r.hasPhoto; createdAt = Timestamp.iso(r.createdAt)
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("kind", .choice(["owner", "tenant"])), .req("name", .string()), .req("phone", .string()), .req("username", .string()),
                 .null("compoundId", .uuid), .null("compound", .string()), .null("roomLabel", .string()), .req("status", .choice(["pending", "approved", "rejected"])),
                 .null("reason", .string()), .req("hasPhoto", .boolean), .req("createdAt", .dateTime)])
    }
}

struct InvitationAnswer: APIAnswer {
    let code: String, expiresAt: String
    static var schema: Schema { .object([.req("code", .string()), .req("expiresAt", .dateTime)]) }
}

struct TenantAnswer: APIAnswer {
    let residentId: String, name: String, since: String
    static var schema: Schema { .object([.req("residentId", .uuid), .req("name", .string()), .req("since", .dateTime)]) }
}
