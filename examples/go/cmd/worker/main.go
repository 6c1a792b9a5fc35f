// Command worker holds a Lease stream on a queue, handles one job at a time and prints one JSON
// line per job it handles. It acks inline on the stream and grants a credit back with each ack.
// Usage:
//
//	worker [-addr host:port] [-queue name] [-n count] [-credits c] [-fail-attempts k]
//
// It exits after -n jobs (0: run until SIGTERM or SIGINT). With -fail-attempts k it nacks a job
// while its attempt is at most k, to show retries. SCHEDULER_ADDR, QUEUE, COUNT, CREDITS and
// FAIL_ATTEMPTS set the defaults of the flags.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/durationpb"

	schedulerv1 "example.com/scheduler-examples/gen/schedulerv1"
)

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func envInt(name string, fallback int) int {
	n, err := strconv.Atoi(os.Getenv(name))
	if err != nil {
		return fallback
	}
	return n
}

type record struct {
	ID       string `json:"id"`
	Tenant   string `json:"tenant"`
	Tier     string `json:"tier"`
	Priority int32  `json:"priority"`
	Attempt  int32  `json:"attempt"`
	Result   string `json:"result"`
}

func main() {
	addr := flag.String("addr", envOr("SCHEDULER_ADDR", "localhost:50051"), "scheduler address")
	queue := flag.String("queue", envOr("QUEUE", "default"), "queue to lease from")
	count := flag.Int("n", envInt("COUNT", 0), "exit after this many jobs (0: until SIGTERM)")
	credits := flag.Int("credits", envInt("CREDITS", 1), "jobs to hold at once")
	failAttempts := flag.Int("fail-attempts", envInt("FAIL_ATTEMPTS", 0), "nack attempts up to this")
	flag.Parse()

	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	client := schedulerv1.NewSchedulerServiceClient(conn)

	// The stream's context is not cancelled on SIGTERM: we half-close instead, so the server
	// applies the acks already sent before it ends the stream.
	stream, err := client.Lease(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	// Never ask for more jobs than we will handle before exiting.
	granted := *credits
	if *count > 0 && granted > *count {
		granted = *count
	}
	first := &schedulerv1.LeaseRequest{
		Queue:             *queue,
		VisibilityTimeout: durationpb.New(30 * time.Second),
		Credits:           uint32(granted),
	}
	if err := stream.Send(first); err != nil {
		log.Fatal(err)
	}

	jobs := make(chan *schedulerv1.LeasedJob)
	recvErr := make(chan error, 1)
	go func() {
		for {
			res, err := stream.Recv()
			if err != nil {
				recvErr <- err
				close(jobs)
				return
			}
			for _, settleErr := range res.SettleErrors {
				log.Printf("settle failed: %s: %s", settleErr.LeaseId, settleErr.Error.GetMessage())
			}
			for _, job := range res.Jobs {
				jobs <- job
			}
		}
	}()

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	out := json.NewEncoder(os.Stdout)
	handled, closing := 0, false
	closeSend := func() {
		if !closing {
			closing = true
			_ = stream.CloseSend()
		}
	}

	for {
		select {
		case <-signals:
			closeSend()
		case leased, ok := <-jobs:
			if !ok {
				if err := <-recvErr; !errors.Is(err, io.EOF) {
					log.Fatalf("lease stream: %v", err)
				}
				return
			}
			job := leased.Job
			rec := record{
				ID: job.Id, Tenant: job.TenantId, Tier: job.Tier,
				Priority: job.Priority, Attempt: job.Attempt, Result: "ack",
			}
			req := &schedulerv1.LeaseRequest{}
			if int(job.Attempt) <= *failAttempts {
				rec.Result = "nack"
				req.Nacks = []*schedulerv1.LeaseNack{{
					LeaseId: leased.LeaseId, Error: "example failure", RetryDelay: durationpb.New(0),
				}}
			} else {
				req.Acks = []string{leased.LeaseId}
			}
			handled++
			if *count == 0 || granted < *count {
				req.Credits = 1
				granted++
			}
			if closing {
				// The stream's write side is closed: settle through the unary RPC instead.
				settleUnary(client, req)
			} else if err := stream.Send(req); err != nil {
				log.Printf("send: %v", err)
			}
			_ = out.Encode(rec)
			if *count > 0 && handled >= *count {
				closeSend()
			}
		}
	}
}

func settleUnary(client schedulerv1.SchedulerServiceClient, req *schedulerv1.LeaseRequest) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	for _, id := range req.Acks {
		_, err = client.Ack(ctx, &schedulerv1.AckRequest{LeaseId: id})
	}
	for _, n := range req.Nacks {
		_, err = client.Nack(ctx, &schedulerv1.NackRequest{
			LeaseId: n.LeaseId, Error: n.Error, RetryDelay: n.RetryDelay,
		})
	}
	if err != nil {
		log.Printf("settle: %v", err)
	}
}
