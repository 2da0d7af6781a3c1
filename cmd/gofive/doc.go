// Command gofive is a command-line client for the Gofive / Venio CRM API, driven by the
// OpenAPI spec embedded in package spec and sending everything through the SDK (package
// api): the same authentication, retries and errors as a Go program gets.
//
// Without credentials it starts the fake server of package api/gofivetest in-process and
// says so on stderr, so every command works on a fresh clone with nothing but Go:
//
//	go run ./cmd/gofive demo
//
// # Commands
//
//	gofive ops [--tag TAG]
//
// Lists the spec's operations as a table: tag, operation id, method, path, completeness
// (full, or partial where part of the shape was not recovered from the docs) and summary.
//
//	gofive call OPERATION [name=value ...] [--body FILE|-] [--raw] [--all]
//
// Calls one operation. name=value arguments fill its path and query parameters, and
// otherwise top-level fields of the JSON body; values are converted to the type the spec
// gives the field (integer, number, boolean, string; arrays and objects as JSON, arrays of
// scalars also comma-separated). name:=JSON passes a raw JSON value; body.name=value sets a
// body field that shares its name with a parameter, or one the spec does not list. --body
// reads a whole JSON body (- for stdin), to which name=value fields are added.
//
// The request is validated against the spec (kin-openapi's openapi3filter, through
// spec.Validator) before anything is sent; problems are listed by field and nothing is
// sent. The response's data is printed as indented JSON; --raw prints the whole envelope.
// --all pages through an enquiry operation (one with x-gofive-paging): it sets the page
// size and offset fields, collects the items (at the spec's items pointer, or in data, or
// data.value) until a page comes back short, and prints them as one array; progress goes
// to stderr when stderr is a terminal. `gofive call OPERATION -h` describes the
// operation's parameters and body, with the documented example.
//
//	gofive token [--show-token]
//
// Fetches a token from the token endpoint (the getAccessToken operation) and prints its
// type and expiry. The token itself is printed only with --show-token, alone on stdout.
//
//	gofive demo [--yes-write-to-real-api]
//
// A short tour through the SDK's typed methods: token, a salesperson and a product looked
// up, a customer created, a customer event added and listed, a case opened, a quotation
// created and converted to a sales order, the sales order read back; one line per step.
// With credentials for a non-local API it refuses (exit 2) unless --yes-write-to-real-api
// is given, since it creates records.
//
//	gofive probe [--json] [--propose DIR] [--max-requests N] [--rate R]
//
// Checks the API answering the credentials against the spec, read-only, and prints a report
// fit for a public issue. It sends only the token request, GETs, and POSTs the spec marks
// x-gofive-read-only: the probe client's bottom transport routes each request to its spec
// operation and refuses any other before it is sent. Identifiers found in the list answers
// fill the GETs' parameters; an operation it cannot reach is reported as skipped, with the
// reason. It is bounded (--max-requests, default 60; --rate, default 2 per second; the SDK's
// retries), refuses a plain-http base URL unless it is loopback, and on Ctrl-C prints the
// partial report and exits 130. Each answer is validated twice, with spec.Strict and with
// spec.DocsRequired; the report lists per operation the HTTP status, the business code, each
// deviation by JSON path (what the spec says, what was observed: a JSON type or a string's
// form), undocumented fields, documented fields absent, and the answer's type skeleton. It
// never prints a value from a response nor a credential. --json prints the report as JSON;
// --propose DIR writes spec fragments (package spec/proposal) for answers the spec marks
// unrecovered or partial. Exit status 0 when nothing deviates, 1 on deviations or error
// answers, else the table below.
//
//	gofive fake [--addr 127.0.0.1:4010] [--seed N] [--strict] [--log-size N]
//	gofive fake --show-log | --clear-log
//
// Runs the fake server until interrupted and prints GOFIVE_BASE_URL=…, GOFIVE_CLIENT_ID=…,
// GOFIVE_CLIENT_SECRET=… and GOFIVE_SUBSCRIPTION_KEY=… lines (its fixed test values) that
// a shell can load with `set -a; . ./fake.env; set +a`. With those loaded, --show-log prints
// the running fake's request log (its last --log-size requests, no credentials) as JSON and
// --clear-log empties it.
//
//	gofive webhook listen [--addr host:port] [--secret s]
//
// Receives Venio webhook deliveries and prints each one.
//
//	gofive version
//
// Prints the SDK version (api.Version).
//
// # Credentials
//
// call, token, demo and probe read GOFIVE_CLIENT_ID, GOFIVE_CLIENT_SECRET,
// GOFIVE_SUBSCRIPTION_KEY and GOFIVE_BASE_URL, or the flags --client-id, --client-secret,
// --subscription-key and --base-url, which win over the variables. Prefer the variables
// for the secret and the key: flags show in the process list and the shell history. With
// none of the four set, the built-in fake server is used. No secret (client secret,
// subscription key, token) is ever printed, except the token with --show-token and the
// fake's own test credentials by gofive fake.
//
// # Exit codes
//
//	0  success
//	1  API or business error: the API answered with an error status, or 2xx with a
//	   business code other than 1000; the message shows the HTTP status and the code
//	2  usage or validation error: a bad command line, an unknown operation, a missing or
//	   mistyped parameter, a malformed --body, a request the spec rejects; nothing was sent
//	3  authentication error: the token endpoint refused or failed, or the API answered
//	   401 or 403
//	4  network error: no answer (connection refused or reset, timeout, DNS failure)
package main
