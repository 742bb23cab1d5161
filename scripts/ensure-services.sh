#!/usr/bin/env bash
# Makes sure the services gomall talks to answer on 127.0.0.1: MariaDB :3306, Redis :6379,
# RabbitMQ :5672, and etcd :2379 when asked (`scripts/ensure-services.sh etcd`).
# What is not installed is installed through apt (root only, once, quietly); what is down is
# started; what already answers is left exactly as it is. Safe to run again and again.
# Exits non-zero naming the service that would not start, or listing the commands to run
# when it cannot install (not root, or no apt).
set -euo pipefail

say() { echo "ensure-services: $*"; }

wait_for() { # name, check function, seconds
  local name=$1 check=$2 seconds=$3
  for ((i = 0; i < seconds * 4; i++)); do
    if "$check" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  say "$name did not answer within ${seconds}s" >&2
  return 1
}

mariadb_up() { mariadb -h127.0.0.1 -uroot -e 'SELECT 1'; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ]; }
rabbit_up() { rabbitmq-diagnostics -q ping; }
mariadb_socket_up() { mariadb -uroot -e 'SELECT 1'; }
# bash's /dev/tcp rather than curl or etcdctl, which a bare machine may not have.
etcd_up() {
  timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/2379 && printf "GET /health HTTP/1.0\r\n\r\n" >&3 && grep -q "\"health\":\"true\"" <&3' 2>/dev/null
}

# service → Debian package, and the program whose absence means "not installed".
declare -A package=([mariadb]=mariadb-server [redis]=redis-server [rabbitmq]=rabbitmq-server [etcd]=etcd-server)
declare -A program=([mariadb]=mariadbd [redis]=redis-server [rabbitmq]=rabbitmq-server [etcd]=etcd)

wanted=(mariadb redis rabbitmq)
for extra in "$@"; do
  case $extra in
    etcd) wanted+=(etcd) ;;
    *) say "unknown service '$extra' (known extra: etcd)" >&2 && exit 2 ;;
  esac
done

missing=()
for service in "${wanted[@]}"; do
  PATH=$PATH:/usr/sbin:/sbin command -v "${program[$service]}" >/dev/null || missing+=("${package[$service]}")
done

installed_mariadb=false
if ((${#missing[@]} > 0)); then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    cat >&2 <<EOF
ensure-services: not installed: ${missing[*]}. Install them as root, then run this again:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}
or run the whole stack in containers instead: docker compose -f deploy/docker-compose.yml up -d
EOF
    exit 1
  fi
  log=$(mktemp -t ensure-services-apt.XXXXXX)
  say "installing ${missing[*]} with apt-get"
  # No questions from package scripts; wait for a dpkg lock another install holds.
  apt=(env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600)
  if ! { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    say "apt-get install ${missing[*]} failed (full output: $log)" >&2
    exit 1
  fi
  rm -f "$log"
  [[ " ${missing[*]} " == *" mariadb-server "* ]] && installed_mariadb=true
fi
export PATH=$PATH:/usr/sbin:/sbin

if ! mariadb_up >/dev/null 2>&1; then
  say "starting MariaDB"
  install -d -o mysql -g mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  if $installed_mariadb; then
    # Debian's root logs in through the unix socket only; the dev config connects over TCP
    # as root without a password (conf/config-dev.yaml), so a fresh install allows that too.
    wait_for 'MariaDB (socket)' mariadb_socket_up 60
    mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')"
  fi
  wait_for MariaDB mariadb_up 60
fi

# A Redis that already answers keeps the settings it was started with: restarting it would
# drop what others hold in it. Only a Redis started here gets AOF, because the reservation
# outbox lives in Redis and must survive a crash.
if ! redis_up; then
  say "starting Redis (AOF, fsync every second, in /var/lib/redis)"
  install -d /var/lib/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 \
    --dir /var/lib/redis --appendonly yes --appendfsync everysec
  wait_for Redis redis_up 20
fi

if ! rabbit_up >/dev/null 2>&1; then
  say "starting RabbitMQ"
  rabbitmq-server -detached
  wait_for RabbitMQ rabbit_up 120
fi

if [[ " ${wanted[*]} " == *" etcd "* ]] && ! etcd_up; then
  say "starting etcd (data in /var/lib/etcd, log in /var/log/etcd.log)"
  install -d -m 700 /var/lib/etcd
  nohup etcd --name gomall --data-dir /var/lib/etcd/gomall \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 >>/var/log/etcd.log 2>&1 &
  wait_for etcd etcd_up 30
fi

say "${wanted[*]} answer"
