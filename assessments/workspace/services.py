"""The analyst's workspace: saving a chapter's narrative without overwriting someone else's
changes, and adding figures (images re-encoded, never stored as uploaded)."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from PIL import Image, UnidentifiedImageError

from assessments.core.models import Assessment, Chapter, ChapterFigure, User
from assessments.core.storage import atomic_with_files, field_file_save

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SOURCE_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 2400  # pixels: larger images are scaled down
MAX_STORED_BYTES = 3 * 1024 * 1024
FORMATS = {"PNG": ("png", "PNG"), "JPEG": ("jpg", "JPEG")}


# The places a chapter's figures are compared with ------------------------------------------


@transaction.atomic
def chapter_comparators_save(*, chosen: dict) -> None:
    """Set each selection's comparators ({selection: [places]}, already checked by the form)."""
    for selection, places in chosen.items():
        selection.comparators.set(places)


# Saving the narrative -------------------------------------------------------------------------


class EditConflict(ValidationError):
    """Someone saved the chapter since this editor loaded it. Carries their text."""

    def __init__(self, chapter: Chapter):
        super().__init__(
            "Someone else saved this chapter while you were editing it. Your text has not been "
            "saved: compare it with theirs below, then save again.",
            code="conflict",
        )
        self.chapter = chapter


def edit_token(chapter: Chapter) -> str:
    """What an editor must send back: the time of the save it started from."""
    return chapter.updated_at.isoformat()


@transaction.atomic
def chapter_narrative_save(*, chapter: Chapter, narrative: str, token: str, by: User) -> Chapter:
    """Save the narrative, unless the chapter changed since `token`: then raise EditConflict
    with the current chapter and change nothing."""
    current = Chapter.objects.select_for_update().get(pk=chapter.pk)
    if edit_token(current) != token:
        raise EditConflict(current)
    current.narrative = narrative
    current._history_user = by
    current.save(update_fields=["narrative", "updated_at"])
    return current


# The front matter's texts (issue 32) ---------------------------------------------------------
# The introduction, executive summary and gaps in knowledge, in the same editor as a chapter's
# narrative. The assessment keeps no time of its last save, so an editor's token is a digest of
# the text it loaded: a save over someone else's changes is refused the same way.

ASSESSMENT_TEXTS = {
    # address: (field, name)
    "introduction": ("introduction", "Introduction"),
    "executive-summary": ("executive_summary", "Executive summary"),
    "gaps-in-knowledge": ("gaps_in_knowledge", "Gaps in knowledge"),
}


class TextConflict(ValidationError):
    """Someone saved the text since this editor loaded it. Carries their text."""

    def __init__(self, text: str):
        super().__init__(
            "Someone else saved this text while you were editing it. Your text has not been "
            "saved: compare it with theirs below, then save again.",
            code="conflict",
        )
        self.text = text


def text_token(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@transaction.atomic
def assessment_text_save(
    *, assessment: Assessment, field: str, text: str, token: str
) -> Assessment:
    """Save one of the front matter's texts, unless it changed since `token`: then raise
    TextConflict with the current text and change nothing."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if text_token(getattr(current, field)) != token:
        raise TextConflict(getattr(current, field))
    setattr(current, field, text)
    current.save(update_fields=[field])
    return current


# Figures ---------------------------------------------------------------------------------------


def _open_image(upload) -> Image.Image:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "The image must be smaller than %(mb)s MB",
            params={"mb": MAX_UPLOAD_BYTES // 2**20},
            code="too_big",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise ValidationError("The file must be a PNG or JPEG image", code="format")
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise ValidationError("The image has too many pixels", code="too_big")
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ValidationError(
            "The file is not a PNG or JPEG image, or it is damaged", code="not_image"
        ) from error
    return image


@dataclass(frozen=True)
class Reencoded:
    content: bytes
    extension: str
    size: tuple[int, int]


def reencode(upload) -> Reencoded:
    """The upload as fresh PNG or JPEG bytes: no metadata, at most MAX_SIDE pixels a side, at
    most MAX_STORED_BYTES (JPEG quality lowered to fit). Raises ValidationError for anything
    that is not really an image."""
    image = _open_image(upload)
    extension, pil_format = FORMATS[image.format]
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image holds only the pixels: no EXIF, GPS, ICC profile or text chunks.
    mode = "RGB" if pil_format == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
    clean = Image.new(mode, image.size)
    clean.paste(image.convert(mode))
    for quality in (85, 70, 55):
        out = io.BytesIO()
        options = {"optimize": True} | ({"quality": quality} if pil_format == "JPEG" else {})
        clean.save(out, pil_format, **options)
        if out.tell() <= MAX_STORED_BYTES:
            return Reencoded(out.getvalue(), extension, clean.size)
    raise ValidationError(
        "The image is too large even when compressed; make it smaller", code="too_big"
    )


@atomic_with_files()
def chapter_figure_add(
    *, chapter: Chapter, image, alt_text: str, caption: str, source: str = "", by: User
) -> ChapterFigure:
    """Store a re-encoded figure with the next free number of the chapter."""
    if not alt_text.strip():
        raise ValidationError(
            {
                "alt_text": "Enter alternative text that describes the image for people who "
                "cannot see it"
            }
        )
    if not caption.strip():
        raise ValidationError({"caption": "Enter a caption"})
    try:
        clean = reencode(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    Chapter.objects.select_for_update().filter(pk=chapter.pk).first()
    number = (chapter.images.aggregate(n=Max("number"))["n"] or 0) + 1
    figure = ChapterFigure(
        chapter=chapter,
        number=number,
        alt_text=alt_text.strip(),
        caption=caption.strip(),
        source=source.strip(),
        uploaded_by=by,
        width=clean.size[0],
        height=clean.size[1],
    )
    name = f"chapter-{chapter.pk}-figure-{number}.{clean.extension}"
    field_file_save(figure.image, name, ContentFile(clean.content))
    figure.save()
    return figure
