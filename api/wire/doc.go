// Package wire holds the tolerant JSON value types the Gofive API needs.
//
// The API's documentation and payloads are loose: dates come in half a dozen
// layouts (and sometimes as placeholders such as "string" or "YYYY-MM-DD"),
// business codes arrive as strings or numbers, ids are typed as either, and
// booleans are sometimes quoted. The types here decode every documented form
// and marshal back what they received, so a decode/encode round trip does not
// change a payload.
//
// The package is a leaf (standard library only) so that both the generated
// client (through x-go-type) and the handwritten wrapper can import it.
package wire
