#!/bin/bash

TYPE=$1
NAME=$2
STATE=$3
FILE="/etc/keepalived/${NAME}"

if [ ! -f "${FILE}" ]; then
touch "${FILE}"
fi

ORI_STATE=`cat ${FILE}`

if [ ${STATE} == ${ORI_STATE} ];then
exit 0
else
case $STATE in
"MASTER") /bin/python /etc/keepalived/sendmail.py ${STATE} ${TYPE} ${NAME}
echo "${STATE}" > "${FILE}"
exit 0
;;
"BACKUP") /bin/python /etc/keepalived/sendmail.py ${STATE} ${TYPE} ${NAME}
echo "${STATE}" > "${FILE}"
exit 0
;;
"FAULT") /bin/python /etc/keepalived/sendmail.py ${STATE} ${TYPE} ${NAME}
echo "${STATE}" > "${FILE}"
exit 0
;;
*) echo "unknown state"
exit 1
;;
esac
fi
