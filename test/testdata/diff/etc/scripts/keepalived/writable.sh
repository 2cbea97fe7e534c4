#!/bin/sh
# A check script for the script-security cases; never run by -t.
exit 0
