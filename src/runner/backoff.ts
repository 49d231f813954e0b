// The runner's retry delays: the backends' Backoff (it lives there so etcd clients can use it too).

export { Backoff, type BackoffOptions, formatDelay } from "../backends/backoff.ts";
