"""Generated "screenshots" (PNG) of the fake account's profile and posts, URL and date visible.

Drawn with Pillow's built-in bitmap font at half size, then scaled up 2x with nearest-neighbour,
so the pixels do not depend on any system font. PNGs carry no text chunks or times.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 520, 320
_CHAR = 6  # width of one character of the bitmap font
_BG = (250, 250, 250)
_INK = (22, 24, 35)
_GREY = (120, 124, 135)
_PINK = (254, 44, 85)
#: Cyrillic letters drawn as the Latin letters they look like (as a screen shows them)
_LOOKALIKE = str.maketrans("\u043e\u0430\u0435\u0441\u0440\u0456", "oaecpi")


def _plain(text: str) -> str:
    """What the bitmap font can draw: accents folded, emoji dropped."""
    text = text.translate(_LOOKALIKE)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in _plain(text).split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def _frame(url: str, clock: str) -> tuple[Image.Image, ImageDraw.ImageDraw, ImageFont.ImageFont]:
    image = Image.new("RGB", (WIDTH, HEIGHT), _BG)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default_imagefont()
    draw.rectangle((0, 0, WIDTH, 22), fill=(222, 225, 230))
    for i, colour in enumerate(((237, 106, 94), (245, 191, 79), (98, 197, 84))):
        draw.ellipse((6 + 10 * i, 8, 12 + 10 * i, 14), fill=colour)
    draw.rectangle((42, 4, WIDTH - 6, 18), fill=(255, 255, 255), outline=(200, 200, 205))
    draw.text((46, 6), _plain(url)[: (WIDTH - 54) // _CHAR], fill=_INK, font=font)
    draw.rectangle((0, 22, WIDTH, 38), fill=(255, 255, 255))
    draw.text((8, 25), "TikTok", fill=_PINK, font=font)
    draw.text((WIDTH - 8 - _CHAR * len(clock), 25), clock, fill=_INK, font=font)
    return image, draw, font


def _save(image: Image.Image, path: Path, footer: str) -> None:
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default_imagefont()
    draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=(40, 40, 48))
    draw.text((6, HEIGHT - 12), _plain(footer)[: (WIDTH - 12) // _CHAR], fill=(240, 240, 240), font=font)
    big = image.resize((WIDTH * 2, HEIGHT * 2), Image.Resampling.NEAREST)
    big.save(path, format="PNG", optimize=False, compress_level=9)


def profile_png(path: Path, *, handle: str, display_name: str, url: str, followers: int, following: int,
                likes: int, bio: str, clock: str, footer: str, tiles: list[str]) -> None:
    """A profile page: avatar, @handle, display name, counts, bio and a grid of post tiles."""
    image, draw, font = _frame(url, clock)
    draw.ellipse((16, 48, 66, 98), fill=(180, 190, 210), outline=_INK)
    draw.text((30, 68), "pic", fill=_INK, font=font)
    draw.text((80, 50), f"@{_plain(handle)}", fill=_INK, font=font)
    draw.text((80, 64), _plain(display_name)[:40], fill=_GREY, font=font)
    draw.text((80, 80), f"{following} Following   {followers} Followers   {likes} Likes", fill=_INK, font=font)
    for n, line in enumerate(_wrap(bio, 80)[:2]):
        draw.text((16, 106 + 12 * n), line, fill=_INK, font=font)
    draw.line((0, 134, WIDTH, 134), fill=(210, 210, 215))
    draw.text((16, 138), "Videos", fill=_INK, font=font)
    for n, caption in enumerate(tiles[:10]):
        x, y = 16 + (n % 5) * 98, 154 + (n // 5) * 64
        shade = 60 + (n * 23) % 120
        draw.rectangle((x, y, x + 88, y + 58), fill=(shade, 40 + shade // 2, 90))
        for k, line in enumerate(_wrap(caption, 14)[:3]):
            draw.text((x + 3, y + 4 + 11 * k), line, fill=(255, 255, 255), font=font)
    _save(image, path, footer)


def post_png(path: Path, *, handle: str, display_name: str, url: str, posted: str, caption: str,
             comments: list[tuple[str, str]], clock: str, footer: str) -> None:
    """A post page: the video area, the author and date, the caption and the first comments."""
    image, draw, font = _frame(url, clock)
    draw.rectangle((10, 46, 170, HEIGHT - 22), fill=(24, 24, 30))
    for n, line in enumerate(_wrap(caption, 24)[:4]):
        draw.text((16, HEIGHT - 80 + 11 * n), line, fill=(255, 255, 255), font=font)
    draw.polygon(((80, 140), (80, 170), (105, 155)), fill=(235, 235, 235))
    draw.ellipse((180, 48, 200, 68), fill=(180, 190, 210))
    draw.text((206, 48), f"@{_plain(handle)}", fill=_INK, font=font)
    draw.text((206, 60), f"{_plain(display_name)[:22]} - {posted}", fill=_GREY, font=font)
    y = 76
    for line in _wrap(caption, 54)[:3]:
        draw.text((180, y), line, fill=_INK, font=font)
        y += 11
    y += 6
    draw.text((180, y), f"Comments ({len(comments)})", fill=_INK, font=font)
    y += 14
    for actor, text in comments:
        if y + 22 > HEIGHT - 16:
            break
        draw.text((180, y), f"@{_plain(actor)}"[:54], fill=_GREY, font=font)
        draw.text((186, y + 10), _plain(text)[:52] or "(emoji)", fill=_INK, font=font)
        y += 24
    _save(image, path, footer)
