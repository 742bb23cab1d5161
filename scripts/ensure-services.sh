#!/usr/bin/env bash
# Makes sure MariaDB, Redis and RabbitMQ answer on 127.0.0.1, starting any that is down
# (DESIGN §6). Safe to run again and again; exits non-zero naming the service that would not start.
set -euo pipefail

wait_for() { # name, check command, seconds
  local name=$1 check=$2 seconds=$3
  for ((i = 0; i < seconds * 4; i++)); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  echo "ensure-services: $name did not answer within ${seconds}s" >&2
  return 1
}

mariadb_up() { mariadb -h127.0.0.1 -uroot -e 'SELECT 1'; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ]; }
rabbit_up() { rabbitmq-diagnostics -q ping; }

if ! mariadb_up >/dev/null 2>&1; then
  echo "ensure-services: starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for MariaDB mariadb_up 60
fi

if ! redis_up; then
  echo "ensure-services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
  wait_for Redis redis_up 20
fi

if ! rabbit_up >/dev/null 2>&1; then
  echo "ensure-services: starting RabbitMQ"
  rabbitmq-server -detached
  wait_for RabbitMQ rabbit_up 120
fi

echo "ensure-services: MariaDB, Redis and RabbitMQ answer"
