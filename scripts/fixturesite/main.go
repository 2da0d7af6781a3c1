// Command fixturesite serves the SYNTHETIC loopback docs site the docs-sync tests use (package
// internal/docsite: Apidog's layout, built from the spec's own operations, with every mutation
// and quirk), so that the recipe can be tried by hand:
//
//	go -C scripts run ./fixturesite -spec ../spec/openapi.yaml &   # prints its URL
//	make scrape DOCS_URL=http://127.0.0.1:PORT PAGES=/tmp/pages
//	make drift PAGES=/tmp/pages
//
// It listens on 127.0.0.1 only and stops on interrupt.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/scripts/internal/docsite"
)

func main() {
	specFile := flag.String("spec", "../spec/openapi.yaml", "OpenAPI `file` the site is built from")
	addr := flag.String("addr", "127.0.0.1:0", "loopback `address` to listen on")
	quirks := flag.Bool("quirks", true, "serve the quirks too (404, 500 then 200, slow, oversized, other-host link)")
	noLLMS := flag.Bool("no-llms", false, "answer /llms.txt with 404 (to try the fallback)")
	flag.Parse()
	if err := serve(*specFile, *addr, *quirks, *noLLMS); err != nil {
		fmt.Fprintln(os.Stderr, "fixturesite:", err)
		os.Exit(1)
	}
}

func serve(specFile, addr string, quirks, noLLMS bool) error {
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		return err
	}
	site, err := docsite.Build(doc)
	if err != nil {
		return err
	}
	if _, err := docsite.Mutate(site); err != nil {
		return err
	}
	if quirks {
		docsite.AddQuirks(site, 4<<20)
	}
	site.NoLLMS = noLLMS
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("-addr %q: listen on a loopback address only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\n", ln.Addr())
	srv := &http.Server{Handler: site}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
