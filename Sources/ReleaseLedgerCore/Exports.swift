// JSON values are the core's vocabulary (a proposed event's payload is a `JSONValue`): every
// module that speaks to the core speaks JSON, so importing the core brings the JSON module too.
@_exported import LedgerJSON
