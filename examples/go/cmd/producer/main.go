// Command producer enqueues jobs for tenants, one Enqueue call per job, and prints one JSON line
// per job. Usage:
//
//	producer [-addr host:port] [-queue name] TENANT:COUNT[:PRIORITY]...
//
// SCHEDULER_ADDR and QUEUE set the defaults of -addr and -queue.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	schedulerv1 "example.com/scheduler-examples/gen/schedulerv1"
)

type spec struct {
	tenant   string
	count    int
	priority int32
}

func parseSpec(arg string) (spec, error) {
	parts := strings.Split(arg, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return spec{}, fmt.Errorf("want TENANT:COUNT[:PRIORITY], got %q", arg)
	}
	count, err := strconv.Atoi(parts[1])
	if err != nil {
		return spec{}, fmt.Errorf("count in %q: %w", arg, err)
	}
	s := spec{tenant: parts[0], count: count}
	if len(parts) == 3 {
		p, err := strconv.Atoi(parts[2])
		if err != nil {
			return spec{}, fmt.Errorf("priority in %q: %w", arg, err)
		}
		s.priority = int32(p)
	}
	return s, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	addr := flag.String("addr", envOr("SCHEDULER_ADDR", "localhost:50051"), "scheduler address")
	queue := flag.String("queue", envOr("QUEUE", "default"), "queue to enqueue into")
	flag.Parse()
	var specs []spec
	for _, arg := range flag.Args() {
		s, err := parseSpec(arg)
		if err != nil {
			log.Fatal(err)
		}
		specs = append(specs, s)
	}

	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	client := schedulerv1.NewSchedulerServiceClient(conn)
	out := json.NewEncoder(os.Stdout)

	for _, s := range specs {
		for i := 0; i < s.count; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			res, err := client.Enqueue(ctx, &schedulerv1.EnqueueRequest{
				Queue:    *queue,
				TenantId: s.tenant,
				Priority: s.priority,
				Payload:  []byte(fmt.Sprintf("job %d for %s", i, s.tenant)),
			})
			cancel()
			if err != nil {
				log.Fatalf("enqueue for %s: %v", s.tenant, err)
			}
			_ = out.Encode(map[string]any{"id": res.JobId, "tenant": s.tenant, "tier": res.Tier})
		}
	}
}
