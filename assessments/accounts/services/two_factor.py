"""Authenticator-app (TOTP) devices: set one up, confirm it with a first code."""

from __future__ import annotations

import math
from base64 import b32encode

import segno
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.core.models import User


def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed device for the user to add to their app (replaces an unfinished one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_device_pending(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_verify(*, device: TOTPDevice, token: str) -> str | None:
    """Check a code from the app (confirming a new device with its first right code).

    Returns None when the code is right, else what to tell the person. django-otp slows guessing
    down: after each wrong code the next try must wait twice as long.
    """
    allowed, throttle = device.verify_is_allowed()
    if not allowed:
        wait = math.ceil((throttle["locked_until"] - timezone.now()).total_seconds())
        return f"Too many wrong codes. Wait {max(wait, 1)} seconds, then enter the newest code"
    if not device.verify_token(token):
        return "That code is not right. Check your app and try the newest code"
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return None


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, inline (no request leaves the page)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def totp_secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for people who cannot scan a QR code."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_devices_reset(*, user: User) -> int:
    """Forget the user's authenticator app (lost phone): they set up a new one at next sign-in."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
