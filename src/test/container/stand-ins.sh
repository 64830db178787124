#!/usr/bin/env bash
# Stand-in base images for podman on machines that cannot pull from a container registry (CI).
#
# Our Dockerfile and docker-compose.yml name docker.io/library/{debian:bookworm-slim,
# eclipse-temurin:17-jdk,postgres:15}. CI has podman and Debian's package mirrors but no
# registry, so this script builds look-alikes of those three from Debian bookworm packages
# (mmdebstrap -> tar -> podman import) and tags them with the real names: the unchanged
# Dockerfile and compose file then build and run. Users pull the real images; this script
# never replaces an image of those names that it did not make itself.
#
#   src/test/container/stand-ins.sh     (as root; needs podman, runc, mmdebstrap)
#
# Idempotent. Root file systems are cached as tars under $MFA_STAND_IN_CACHE (default
# ~/.cache/mfa-service/stand-ins), keyed by a hash of this file: with the images already in
# podman's store a run only checks their label; with a cached tar it only runs `podman import`.
set -euo pipefail

self=$(readlink -f "${BASH_SOURCE[0]}")
label=io.mfa-service.stand-in
suite=bookworm
images=(debian-bookworm-slim eclipse-temurin-17-jdk postgres-15)

die() { echo "stand-ins: $*" >&2; exit 1; }

ref_of() {
  case $1 in
    debian-bookworm-slim) echo docker.io/library/debian:bookworm-slim ;;
    eclipse-temurin-17-jdk) echo docker.io/library/eclipse-temurin:17-jdk ;;
    postgres-15) echo docker.io/library/postgres:15 ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Inside mmdebstrap: `stand-ins.sh --hook ROOTFS` is its setup and customize hook. Hooks run on
# the host with the root file system at ROOTFS: paths through its absolute symlinks (/var/run ->
# /run) lead to the host's files, and its /dev, /proc and /sys are the host's (bind mounts).

setup_common() {
  local root=$1
  # What Docker's slim Debian images leave out, for these installs and later ones.
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# As in Docker's slim Debian images: no documentation (but copyright files), man pages, locales.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"   # no fsync per file
}

# mmdebstrap unpacks the essential packages itself, without the path-excludes (its own
# filtering, --dpkgopt=path-exclude, costs 40 s of CPU): remove those files afterwards.
slim_down() {
  local root=$1
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -depth -type d -empty -delete
  find "$root/usr/share/groff" "$root/usr/share/info" "$root/usr/share/linda" \
    "$root/usr/share/lintian/overrides" "$root/usr/share/locale" "$root/usr/share/man" \
    -mindepth 1 -delete 2>/dev/null || true
  rm -f "$root"/var/cache/apt/*.bin   # apt's caches (74 MB), which mmdebstrap's cleanup leaves
}

customize_common() {
  local root=$1
  # apt as in Docker's Debian images: no package cache kept, no translations.
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
# Keep image layers small: drop downloaded packages and apt's binary caches.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'APT::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  # The host's copies (mmdebstrap's); podman provides both at run time.
  rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
  for tool in bash useradd groupadd install; do
    chroot "$root" sh -c "command -v $tool" >/dev/null || { echo "no $tool in the image" >&2; return 1; }
  done
}

customize_temurin() {
  local root=$1 jdk
  jdk=$(cd "$root/usr/lib/jvm" && echo java-17-openjdk-*)
  [ -d "$root/usr/lib/jvm/$jdk" ] || { echo "no single JDK 17 under /usr/lib/jvm: $jdk" >&2; return 1; }
  # Temurin's JAVA_HOME; the Debian JDK stays where its packages put it.
  mkdir -p "$root/opt/java"
  ln -s "/usr/lib/jvm/$jdk" "$root/opt/java/openjdk"
  [ -f "$root/opt/java/openjdk/jmods/java.base.jmod" ] || { echo "no jmods/java.base.jmod" >&2; return 1; }
  chroot "$root" /opt/java/openjdk/bin/jlink --version
}

customize_postgres() {
  local root=$1 uid gid
  # Like the official image: no cluster in the image (the entrypoint makes one in $PGDATA),
  # none made by later package installs, and a server that listens on all addresses.
  if [ -d "$root/etc/postgresql/15/main" ]; then chroot "$root" pg_dropcluster 15 main; fi
  sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
    "$root/etc/postgresql-common/createcluster.conf"
  sed -ri "s/^#?(listen_addresses)[[:space:]]*=[[:space:]]*\S+/\1 = '*'/" \
    "$root/usr/share/postgresql/15/postgresql.conf.sample"
  grep -q "^listen_addresses = '\*'" "$root/usr/share/postgresql/15/postgresql.conf.sample"
  # The official image's uid and gid for postgres (999), so volumes carry over.
  uid=$(chroot "$root" id -u postgres)
  gid=$(chroot "$root" id -g postgres)
  if [ "$uid:$gid" != 999:999 ]; then
    chroot "$root" groupmod --gid 999 postgres
    chroot "$root" usermod --uid 999 --gid 999 postgres
    find "$root" -xdev \( -path "$root/dev" -o -path "$root/proc" -o -path "$root/sys" \) -prune \
      -o -uid "$uid" -exec chown -h 999 {} +
    find "$root" -xdev \( -path "$root/dev" -o -path "$root/proc" -o -path "$root/sys" \) -prune \
      -o -gid "$gid" -exec chgrp -h 999 {} +
  fi
  # $root/run, not $root/var/run: that is an absolute symlink, the host's /run from here.
  # (mmdebstrap's own cleanup of /run is skipped for this image, for this directory.)
  find "$root/run" -mindepth 1 -maxdepth 1 ! -name lock ! -name postgresql -exec rm -rf --one-file-system {} +
  install -d -o 999 -g 999 -m 3777 "$root/run/postgresql"
  install -d -o 999 -g 999 -m 1777 "$root/var/lib/postgresql/data"
  install -d -m 0755 "$root/docker-entrypoint-initdb.d"
  install -d -m 0755 "$root/usr/local/bin"
  write_postgres_entrypoint >"$root/usr/local/bin/docker-entrypoint.sh"
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
  chroot "$root" bash -n /usr/local/bin/docker-entrypoint.sh
  chroot "$root" /usr/lib/postgresql/15/bin/postgres --version
  chroot "$root" sh -c 'command -v pg_isready setpriv' >/dev/null
}

write_postgres_entrypoint() {
  cat <<'ENTRYPOINT'
#!/usr/bin/env bash
# Entrypoint of the postgres:15 stand-in (mfa-service, src/test/container/stand-ins.sh). On an
# empty $PGDATA: initdb with $POSTGRES_USER / $POSTGRES_PASSWORD, create $POSTGRES_DB, run
# /docker-entrypoint-initdb.d/*.sh and *.sql. Then: postgres, as the postgres user, as PID 1.
set -euo pipefail

[ $# -gt 0 ] || set -- postgres
case $1 in -*) set -- postgres "$@" ;; esac   # `podman run postgres:15 -c x=y`
[ "$1" = postgres ] || exec "$@"              # `podman run -it postgres:15 bash`

export PGDATA=${PGDATA:-/var/lib/postgresql/data}
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres {} +
  export HOME=/var/lib/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- "${BASH_SOURCE[0]}" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo "docker-entrypoint.sh: the database is not initialised and POSTGRES_PASSWORD is empty;" \
      "set it (or POSTGRES_HOST_AUTH_METHOD=trust to allow every connection without one)" >&2
    exit 1
  fi
  mkdir -p "$PGDATA" && chmod 0700 "$PGDATA"
  pwargs=() pwfile=
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    pwargs=(--pwfile="$pwfile")
  fi
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of options
  initdb --username="$POSTGRES_USER" "${pwargs[@]}" --auth-local=trust --auth-host="$auth" \
    ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  printf '\n# every other host: %s\nhost all all all %s\n' "$auth" "$auth" >>"$PGDATA/pg_hba.conf"

  # A server on the Unix socket only, for the database and the init scripts.
  pg_ctl --pgdata="$PGDATA" --wait --silent -o "-c listen_addresses='' -p ${PGPORT:-5432}" start
  psql=(psql --no-psqlrc --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password)
  if [ "$POSTGRES_DB" != postgres ]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sh) echo "running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      */\*) ;;
      *) echo "ignoring $f" ;;
    esac
  done
  pg_ctl --pgdata="$PGDATA" --wait --silent -m fast stop
  echo "database initialised: user $POSTGRES_USER, database $POSTGRES_DB, host auth $auth"
fi

exec "$@"
ENTRYPOINT
}

if [ "${1:-}" = --hook ]; then   # mmdebstrap's hooks: --hook ROOTFS, image in MFA_STAND_IN_NAME
  if [ $# -ne 2 ] || [ -z "${MFA_STAND_IN_NAME:-}" ]; then die "usage: MFA_STAND_IN_NAME=... $0 --hook ROOTFS"; fi
  case ${MMDEBSTRAP_HOOK:-}:$MFA_STAND_IN_NAME in
    setup:eclipse-temurin-17-jdk)
      setup_common "$2"
      # the JRE's postinst makes man page links with update-alternatives (fails without the dir)
      mkdir -p "$2/usr/share/man/man1" ;;
    setup:*) setup_common "$2" ;;
    customize:*)
      customize_common "$2"
      case $MFA_STAND_IN_NAME in
        eclipse-temurin-17-jdk) customize_temurin "$2" ;;
        postgres-15) customize_postgres "$2" ;;
      esac
      slim_down "$2" ;;
    *) die "unexpected hook ${MMDEBSTRAP_HOOK:-} for $MFA_STAND_IN_NAME" ;;
  esac
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Preconditions

[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap's root mode; the images go to root's podman store)"
missing=()
for tool in podman runc mmdebstrap flock sha256sum; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} (apt-get install podman runc mmdebstrap)"
merged_usr_hooks=/usr/share/mmdebstrap/hooks/merged-usr
[ -d "$merged_usr_hooks" ] || die "no $merged_usr_hooks (mmdebstrap too old?)"

# Podman in a CI container without systemd: the cgroupfs cgroup manager (systemd's needs a
# running systemd), runc (crun may be missing), no default ulimits for containers (raising
# limits can fail in an unprivileged CI container). Only keys the file does not set are added.
conf=/etc/containers/containers.conf
ensure_conf() { # section key value
  if [ -f "$conf" ] && grep -Eq "^[[:space:]]*$2[[:space:]]*=" "$conf"; then return 0; fi
  mkdir -p "$(dirname "$conf")"
  touch "$conf"
  if grep -Eq "^[[:space:]]*\[$1\][[:space:]]*$" "$conf"; then
    sed -i -E "/^[[:space:]]*\[$1\][[:space:]]*$/a $2 = $3" "$conf"
  else
    printf '\n[%s]\n%s = %s\n' "$1" "$2" "$3" >>"$conf"
  fi
  echo "$conf: [$1] $2 = $3"
}
ensure_conf containers default_ulimits '[]' || die "step containers.conf failed"
ensure_conf engine cgroup_manager '"cgroupfs"' || die "step containers.conf failed"
ensure_conf engine runtime '"runc"' || die "step containers.conf failed"

cache=${MFA_STAND_IN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mfa-service/stand-ins}
mkdir -p "$cache"
# One run at a time on this machine (podman's store is per machine, caches may differ).
lock=/run/lock/mfa-service-stand-ins.lock
if ! { [ -d /run/lock ] && [ -w /run/lock ]; }; then lock=$cache/.lock; fi
exec 9>"$lock"
flock 9
arch=$(dpkg --print-architecture)
mmdebstrap_version=$(dpkg-query --showformat '${Version}' --show mmdebstrap 2>/dev/null || mmdebstrap --version)
key=$({ cat "$self"; echo "$arch $mmdebstrap_version"; } | sha256sum | cut -c1-16)
tmp=${TMPDIR:-/tmp}
if [ -d /dev/shm ] && [ "$(df --output=avail -k /dev/shm | tail -1)" -gt 3000000 ]; then tmp=/dev/shm; fi

# ---------------------------------------------------------------------------------------------
# Build (mmdebstrap) and import (podman), one background job per image

now() { date +%s%N; }
stamp() { local l; while IFS= read -r l; do printf '%(%T)T %s\n' -1 "$l"; done; }
secs() { awk -v ns=$(($2 - $1)) 'BEGIN { printf "%.1f", ns / 1e9 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1e6 }'; }

build() { # name tar log
  local name=$1 tar=$2 log=$3 args=()
  case $name in
    # bookworm's jdk-headless has the jmods jlink needs (later Debian splits them out);
    # binutils: Temurin has it, and `jlink --strip-debug` runs objcopy
    eclipse-temurin-17-jdk) args=(--include=openjdk-17-jdk-headless --include=binutils) ;;
    postgres-15) args=(--include=postgresql-15 --skip=cleanup/run) ;;
  esac
  # merged-usr hook: /usr merged by symlinks as debootstrap does (else apt picks the usrmerge
  # package, which brings all of perl)
  # TMPDIR: the root file system is put together in memory (tmpfs), when there is one
  # shellcheck disable=SC2016 # $1 and the variables are the hook's
  TMPDIR=$tmp mmdebstrap --verbose --mode=root --variant=minbase --format=tar --hook-dir="$merged_usr_hooks" \
    --aptopt='Acquire::Languages "none"' "${args[@]}" \
    --setup-hook='bash "$MFA_STAND_IN_SELF" --hook "$1"' \
    --customize-hook='bash "$MFA_STAND_IN_SELF" --hook "$1"' \
    "$suite" "$tar.part" </dev/null 2>&1 | stamp >"$log" \
    && mv "$tar.part" "$tar"
}

import() { # name tar log
  local name=$1 tar=$2 log=$3 ref changes=()
  ref=$(ref_of "$name")
  changes=(--change "LABEL $label=$key"
           --change "LABEL org.opencontainers.image.description=\"Stand-in for $ref from Debian $suite packages (mfa-service, src/test/container/stand-ins.sh)\"")
  local path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  case $name in
    debian-bookworm-slim)
      changes+=(--change "ENV PATH=$path" --change 'CMD ["bash"]') ;;
    eclipse-temurin-17-jdk)
      changes+=(--change 'ENV JAVA_HOME=/opt/java/openjdk' --change "ENV PATH=/opt/java/openjdk/bin:$path"
                --change 'ENV LANG=C.UTF-8' --change 'CMD ["jshell"]') ;;
    postgres-15)
      changes+=(--change "ENV PATH=$path:/usr/lib/postgresql/15/bin" --change 'ENV PG_MAJOR=15'
                --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'ENV LANG=C.UTF-8'
                --change 'VOLUME /var/lib/postgresql/data' --change 'EXPOSE 5432'
                --change 'STOPSIGNAL SIGINT'
                --change 'ENTRYPOINT ["docker-entrypoint.sh"]' --change 'CMD ["postgres"]') ;;
  esac
  podman import --quiet "${changes[@]}" --message "mfa-service stand-in $key" "$tar" "$ref" >>"$log" 2>&1
}

job() { # name: build if needed, import; writes "outcome build-seconds import-seconds"
  local name=$1 tar=$cache/$1-$key.tar log=$cache/$1-$key.log outcome=imported t0 t1 t2 old
  t0=$(now)
  if [ ! -f "$tar" ]; then
    MFA_STAND_IN_SELF=$self MFA_STAND_IN_NAME=$name build "$name" "$tar" "$log" \
      || { echo "build-(mmdebstrap)-failed $(secs "$t0" "$(now)")" >"$work/$name"; rm -f "$tar.part"; return 1; }
    outcome=built
  fi
  t1=$(now)
  old=$(podman image inspect --format '{{.Id}}' "$(ref_of "$name")" 2>/dev/null || true)
  import "$name" "$tar" "$log" || { echo "import-(podman-import)-failed" >"$work/$name"; return 1; }
  t2=$(now)
  # The previous stand-in, now untagged (kept if a container still uses it).
  if [ -n "$old" ]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
  find "$cache" -maxdepth 1 \( -name "$name-*.tar" -o -name "$name-*.tar.part" -o -name "$name-*.log" \) \
    ! -name "$name-$key.*" -delete
  echo "$outcome $(secs "$t0" "$t1") $(secs "$t1" "$t2")" >"$work/$name"
}

start=$(now)
todo=()
declare -A line
for name in "${images[@]}"; do
  ref=$(ref_of "$name")
  t0=$(now)
  if info=$(podman image inspect --format "{{index .Labels \"$label\"}} {{.Size}}" "$ref" 2>/dev/null); then
    have=${info% *}
    if [ "$have" = "$key" ]; then
      line[$name]="cached    $(mb "${info##* }") (${info##* } bytes), check $(secs "$t0" "$(now)") s"
      continue
    elif [ -z "$have" ] || [ "$have" = "<no value>" ]; then
      line[$name]="present, not a stand-in: left alone $(mb "${info##* }")"
      continue
    fi
  fi
  todo+=("$name")
done

failed=()
if [ ${#todo[@]} -gt 0 ]; then
  work=$(mktemp -d "$cache/.run.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "stand-ins: ${todo[*]} (cache $cache, key $key; mmdebstrap logs there)"
  declare -A pid
  for name in "${todo[@]}"; do
    job "$name" &
    pid[$name]=$!
  done
  for name in "${todo[@]}"; do
    if wait "${pid[$name]}"; then
      read -r outcome build_s import_s <"$work/$name"
      size=$(podman image inspect --format '{{.Size}}' "$(ref_of "$name")")
      if [ "$outcome" = built ]; then timing="build ${build_s} s, import ${import_s} s"; else timing="import ${import_s} s"; fi
      line[$name]="$(printf '%-9s' "$outcome") $(mb "$size") ($size bytes), $timing"
    else
      outcome=failed build_s=
      read -r outcome build_s _ <"$work/$name" || true
      step=${outcome%-failed}
      line[$name]="FAILED at step ${step//-/ }${build_s:+ after $build_s s}"
      failed+=("$name")
    fi
  done
fi

for name in "${images[@]}"; do
  printf '%-42s %s\n' "$(ref_of "$name")" "${line[$name]}"
done
for name in "${failed[@]}"; do
  echo "--- $name: last lines of $cache/$name-$key.log" >&2
  tail -n 30 "$cache/$name-$key.log" >&2 || true
done
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
echo "stand-ins: ready in $(secs "$start" "$(now)") s"
