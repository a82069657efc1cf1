"""Operations endpoints: liveness, readiness (and metrics), for load balancers and monitors."""
