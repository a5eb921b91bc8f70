#!/bin/sh
# Starts alertmanager with the WeCom API secret filled in.
#
# alertmanager.yml holds the placeholder __WECOM_API_SECRET__ because
# wechat_configs reads api_secret only inline (no api_secret_file in
# Alertmanager 0.25, which amtool validates against). This script replaces
# the placeholder with the content of $AM_SECRETS_DIR/wecom_api_secret,
# writes the result to $AM_CONFIG_OUT (mode 0600) and execs "$@".
# The SMTP password needs no such step: smtp_auth_password_file reads it.
set -eu

: "${AM_CONFIG_IN:=/etc/alertmanager/alertmanager.yml}"
: "${AM_CONFIG_OUT:=/alertmanager/alertmanager.yml}"
: "${AM_SECRETS_DIR:=/etc/alertmanager/secrets}"

secret_file="$AM_SECRETS_DIR/wecom_api_secret"
if [ ! -r "$secret_file" ]; then
	echo "run.sh: cannot read $secret_file (make it readable by uid 65534)" >&2
	exit 1
fi
secret=$(tr -d '\r\n' < "$secret_file")
case "$secret" in
	*[!A-Za-z0-9_-]*)
		echo "run.sh: $secret_file may hold only letters, digits, - and _" >&2
		exit 1
		;;
esac

umask 077
sed "s/__WECOM_API_SECRET__/$secret/g" "$AM_CONFIG_IN" > "$AM_CONFIG_OUT"
exec "$@"
