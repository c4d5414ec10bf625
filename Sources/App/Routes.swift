import Hummingbird

/// The one route table, grouped by capability; handlers live in the controllers.
extension GongzhiApp {
    func routes(_ router: Router<AppRequestContext>) {
        // Operations: health, OpenAPI, language.
        OperationsController(database: database, catalog: catalog).register(on: router)
        // Registry (capability 1): the JSON API of every collection …
        ResourceAPIController(store: store, database: database, clock: clock).register(catalog.all, on: router)
        // … its pages, generic record forms, and CSV import/export.
        RegistryWebController(database: database, store: store, clock: clock).register(on: router)
        ManageWebController(database: database, store: store, clock: clock).register(on: router)
        ImportWebController(transfer: RegistryTransfer(database: database), clock: clock).register(on: router)
    }
}
