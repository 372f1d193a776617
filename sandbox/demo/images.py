"""Generated placeholder images: initials on a coloured square.

Images are Wagtail images keyed by title: asking twice for the same title returns the image
made the first time, so reloading the demo never adds images.
"""

import hashlib
from io import BytesIO

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

SIZE = 400

# Muted colours that keep white text readable.
PALETTE = [
    (38, 70, 83),
    (42, 157, 143),
    (106, 76, 147),
    (231, 111, 81),
    (69, 123, 157),
    (29, 53, 87),
    (136, 84, 208),
    (0, 109, 119),
    (188, 71, 73),
    (80, 101, 64),
]


def initials(text, limit=3):
    words = [w for w in text.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words)[:limit] or "?"


def placeholder_png(label, seed):
    """PNG bytes: ``label`` centred in white on a square coloured by ``seed``."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    image = PILImage.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    font_size = int(SIZE * (0.42 if len(label) <= 2 else 0.3 if len(label) <= 4 else 0.2))
    try:
        font = ImageFont.load_default(size=font_size)
    except TypeError:  # Pillow without FreeType: small bitmap font
        font = ImageFont.load_default()
    draw.text((SIZE / 2, SIZE / 2), label, fill=(255, 255, 255), font=font, anchor="mm")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def get_or_create_placeholder(title, label, alt=""):
    """``(image, created)`` for the placeholder titled ``title``."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).order_by("pk").first()
    if existing is not None:
        return existing, False
    data = placeholder_png(label, title)
    image = Image(title=title)
    if alt and hasattr(image, "description"):
        image.description = alt[:255]
    image.file = ImageFile(BytesIO(data), name=f"alma-demo-{slugify(title)}.png")
    image._set_image_file_metadata()
    image.save()
    return image, True
