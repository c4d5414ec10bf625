import Domain
import Foundation
import Hummingbird

/// `/api/v1/public/compounds/{id}` (open: a compound's public page as data) and
/// `/api/v1/districts/{id}/public-pages` (district admins switch the pages on or off).
struct PublicPageAPI: Sendable {
    let service: PublicPageService

    func register(on routes: RouteTable) {
        routes.openAPI(.get, SiteURL.apiPublicCompound,
                       OperationDoc("get-public-compound", "A compound's public page: company, committee, request rates and rank, ended votes, fund and notices; no personal data",
                                    tag: "public", errors: [404: "No such compound, or its district's pages are not public"]),
                       answer: PublicCompoundAnswer.self) { call in
            try RouteTable.encode(PublicCompoundAnswer(try await service.page(try Self.id(call), now: call.now)), status: .ok)
        }
        routes.api(.get, SiteURL.apiPublicPages, .administer, OperationDoc("get-public-pages", "Whether the district's compound pages are public", tag: "public")) { call in
            let district = try call.id("districts")
            guard Policy.mayAdminister(call.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.text) }
            return PublicPagesAnswer(districtId: district.text, open: try await service.isOpen(district: district))
        }
        routes.api(.put, SiteURL.apiPublicPages, .administer,
                   OperationDoc("put-public-pages", "Turn the district's compound pages on or off (district admins)", tag: "public"), body: PublicPagesBody.self) { call, body in
            let district = try call.id("districts")
            try await service.setOpen(call.access, district: district, open: body.open)
            return PublicPagesAnswer(districtId: district.text, open: body.open)
        }
    }

    static func id(_ call: OpenCall) throws -> UUID {
        let raw = call.context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(entity: "compounds", id: raw) }
        return id
    }
}
