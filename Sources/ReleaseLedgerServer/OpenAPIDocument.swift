/// The API description, `Schema/openapi.json`, compiled in and served at `/v1/openapi.json`.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json
}
