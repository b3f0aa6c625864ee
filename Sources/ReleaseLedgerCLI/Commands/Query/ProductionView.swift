import ReleaseLedgerCore

/// What production runs and what was released, side by side: `status` and `at` print both.
struct ProductionView {
    var released: ProductionState.Live?
    var serving: [ServingApp]

    /// Whether an app runs something other than the released digest.
    var differs: Bool {
        serving.contains { app in app.image != (app.app == "api" ? released?.images.api : released?.images.web) }
            || (released != nil && serving.count < ServingApp.apps.count)
    }

    var releasedJSON: JSONValue {
        released.map { live in
            [
                "sha": .string(live.sha), "images": ["api": .string(live.images.api), "web": .string(live.images.web)],
                "since": .string(live.since.description), "run": .int(live.run), "actor": .optionalString(live.actor),
                "position": .number(.integer(live.position)),
            ]
        } ?? .null
    }

    var servingJSON: JSONValue {
        .object(
            JSONObject(
                serving.map { app in
                    (
                        app.app,
                        [
                            "image": .string(app.image), "sha": .string(app.sha),
                            "run": app.run.map { .int($0) } ?? .null,
                            "since": .string(app.at.description), "position": .number(.integer(app.position)),
                        ] as JSONValue
                    )
                }))
    }

    func tables(_ format: OutputFormat) -> [String] {
        let releasedRows =
            released.map { live in
                [
                    [
                        live.sha, String(live.run), live.since.description, live.actor.orDash, live.images.api,
                        live.images.web,
                    ]
                ]
            } ?? []
        let servingRows = serving.map { [$0.app, $0.image, $0.sha, $0.run.map(String.init) ?? "-", $0.at.description] }
        var text = [
            Table(
                title: "Released (last run decided YES)", headers: ["SHA", "RUN", "SINCE", "ACTOR", "API", "WEB"],
                rows: releasedRows
            )
            .render(format),
            Table(
                title: "Serving (last succeeded deploy per app)", headers: ["APP", "IMAGE", "SHA", "RUN", "SINCE"],
                rows: servingRows
            )
            .render(format),
        ]
        if differs { text.append("note: what is serving differs from what was released") }
        return text
    }
}
