"""Photos of digits on paper (reseau.photo): each step on constructed photos, bad files refused in one
sentence, the synthetic photo set (reseau.photoset) read above a floor, `reseau predict --image`,
POST /api/photo.  Expected values come from simple references computed here (a flood fill, to_mnist)."""

from __future__ import annotations

import io
import struct
import zlib
from collections import deque

import numpy as np
import pytest
from PIL import Image

from reseau import photo, photoset
from reseau.drawing import to_mnist
from reseau.photo import PhotoError


def jpeg_of(rgb: np.ndarray, quality: int = 90) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.uint8(np.round(np.clip(rgb, 0, 1) * 255))).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def png_of(rgb: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.uint8(np.round(np.clip(rgb, 0, 1) * 255))).save(out, format="PNG")
    return out.getvalue()


def paper(h: int = 300, w: int = 400) -> np.ndarray:
    return np.full((h, w, 3), 0.92)


def stroke_box(rgb, top, bottom, left, right, colour):
    rgb[top:bottom, left:right] = colour
    return rgb


BLUE, BLACK, PALE_BLUE = (0.1, 0.18, 0.55), (0.1, 0.1, 0.1), (0.6, 0.72, 0.9)


# ---------------------------------------------------------------------------
# Each step on constructed photos
# ---------------------------------------------------------------------------


def test_grey_makes_blue_and_black_ink_dark_and_pale_blue_lines_pale():
    rgb = np.array([[BLUE, BLACK, PALE_BLUE, (0.92, 0.92, 0.92)]])  # (1, 4, 3)
    grey = photo.grey_of(rgb)
    assert grey[0, 0] < 0.3 and grey[0, 1] < 0.3  # both inks
    assert grey[0, 2] > 0.55  # the printed line stays pale


def test_flatten_makes_a_shadowed_page_plain_paper_and_keeps_the_ink():
    grey = np.full((240, 320), 0.9)
    grey[:, 160:] *= 0.5  # half the page in shadow
    grey[100:140, 200:210] = 0.1 * 0.5  # a stroke inside the shadow
    darkness = photo.flatten(grey)
    paper_far_from_the_edge = np.r_[darkness[:, :120].ravel(), darkness[:90, 230:].ravel()]
    assert paper_far_from_the_edge.max() < photo.FLOOR  # the shadow is gone
    assert darkness[105:135, 202:208].min() > 0.8  # the stroke is still ink


def test_the_threshold_falls_between_pale_lines_and_ink():
    darkness = np.zeros((200, 200))
    darkness[::20] = 0.3  # ruled lines
    darkness[50:150, 90:100] = 0.85  # a stroke
    ink, threshold = photo.ink_of(darkness)
    assert 0.3 < threshold < 0.85
    assert ink[60:140, 92:98].all() and not ink[::20][:, :80].any()


def test_a_blank_page_has_no_ink():
    rng = np.random.default_rng(0)
    darkness = np.clip(rng.normal(0.02, 0.02, (200, 200)), 0, 1)  # grain and noise
    _, threshold = photo.ink_of(darkness)
    assert threshold >= photo.MIN_INK


def flood_pieces(mask: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """The reference: (area, top, bottom, left, right) of each 8-connected piece, by a plain flood fill."""
    seen, found = np.zeros_like(mask), []
    h, w = mask.shape
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        seen[start], queue, cells = True, deque([start]), []
        while queue:
            r, c = queue.popleft()
            cells.append((r, c))
            for y in range(max(0, r - 1), min(h, r + 2)):
                for x in range(max(0, c - 1), min(w, c + 2)):
                    if mask[y, x] and not seen[y, x]:
                        seen[y, x] = True
                        queue.append((y, x))
        rows, cols = zip(*cells)
        found.append((len(cells), min(rows), max(rows) + 1, min(cols), max(cols) + 1))
    return sorted(found)


@pytest.mark.parametrize("seed", range(4))
def test_pieces_are_the_flood_fills_pieces(seed):
    mask = np.random.default_rng(seed).random((40, 50)) < 0.35
    labels, found = photo.pieces(mask)
    assert sorted((p.area, p.top, p.bottom, p.left, p.right) for p in found) == flood_pieces(mask)
    assert ((labels > 0) == mask).all()
    for p in found:
        assert (labels == p.label).sum() == p.area


def ink_page(h=300, w=400) -> np.ndarray:
    return np.zeros((h, w), dtype=bool)


def test_the_digit_is_its_pieces_without_specks_and_lines():
    ink = ink_page()
    ink[::30] = True  # ruled lines across the whole page
    ink[80:200, 180:192] = True  # a 1
    ink[80:90, 195:215] = True  # a detached flag above-right, over the same columns (a 5's bar)
    ink[80:200, 205:210] = True
    ink[20:23, 40:43] = True  # a speck
    labels, group = photo.digit_pieces(ink)
    kept = np.isin(labels, [p.label for p in group])
    assert kept[100, 185] and kept[85, 200] and not kept[21, 41] and not kept[0, 100]


def test_no_digit_and_several_digits_are_refused():
    with pytest.raises(PhotoError) as blank:
        photo.digit_pieces(ink_page())
    assert blank.value.key == "photo.no_digit"
    two = ink_page()
    two[80:200, 100:115] = True
    two[80:200, 250:265] = True
    with pytest.raises(PhotoError) as several:
        photo.digit_pieces(two)
    assert several.value.key == "photo.several_digits" and several.value.params == {"count": 2}


def test_a_photographed_mnist_digit_gives_the_digits_own_28x28_image(test_data):
    """Every step on photos of MNIST digits: the 28x28 image at the end is close to what the page's
    preprocessing makes of the digit itself."""
    images, labels = test_data
    rng = np.random.default_rng(3)
    for i in range(5):
        made = photoset.photo(images[i].reshape(28, 28), int(labels[i].argmax()), rng, photoset.SMALL)
        steps = photo.read_photo(made.data)
        own = to_mnist(images[i].reshape(28, 28).astype(np.float64))
        similarity = np.corrcoef(steps.input.ravel(), own.ravel())[0, 1]
        assert similarity > 0.75, (i, similarity)
        assert steps.ink.shape == steps.darkness.shape == steps.photo.shape[:2]


# ---------------------------------------------------------------------------
# Bad files: one sentence each, nothing large decoded
# ---------------------------------------------------------------------------


def png_header_only(width: int, height: int, rows: int = 4) -> bytes:
    """A PNG whose header says ``width`` x ``height`` (1 bit grey) and whose data holds a few rows."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row * rows)) + chunk(b"IEND", b"")


def bomb() -> bytes:
    """A real decompression bomb: 15 000 x 15 000 one-bit pixels (28 MB once decoded, 225 million pixels: Pillow
    refuses it as a bomb) in a file of ~30 kB."""
    width = height = 15_000
    packer, row = zlib.compressobj(9), b"\x00" * (1 + width // 8)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    head = png_header_only(width, height)
    cut = head.index(b"IDAT") - 4  # keep the signature and IHDR, put the whole data after them
    idat = struct.pack(">I", len(body)) + b"IDAT" + body + struct.pack(">I", zlib.crc32(b"IDAT" + body))
    return head[:cut] + idat + png_header_only(1, 1)[-12:]


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is changed to say ``width`` x ``height``."""
    data = bytearray(jpeg_of(paper(16, 16)))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize(
    "make, key",
    [
        (lambda: b"", "photo.empty"),
        (lambda: b"Bonjour, ceci est un texte.\n" * 20, "photo.not_image"),
        (lambda: b"GIF89a" + b"\x00" * 200, "photo.not_image"),
        (lambda: jpeg_claiming(12_000, 12_000), "photo.too_large"),
        (lambda: png_header_only(12_000, 12_000), "photo.too_large"),
        (bomb, "photo.bomb"),
        (lambda: png_of(paper(10, 10)), "photo.too_small"),
        (lambda: jpeg_of(paper())[:300], "photo.unreadable"),
        (lambda: jpeg_of(paper()), "photo.no_digit"),
    ],
    ids=["empty", "text", "gif", "jpeg-12000", "png-12000", "bomb", "tiny", "truncated", "blank-page"],
)
def test_a_bad_file_gets_one_sentence(make, key):
    with pytest.raises(PhotoError) as refused:
        photo.read_photo(make())
    assert refused.value.key == key
    sentence = str(refused.value)
    assert sentence.count(".") <= 2 and "Traceback" not in sentence and "{" not in sentence


def test_a_photo_of_two_digits_is_refused(test_data):
    images, _ = test_data
    rgb = paper(300, 500)
    for k, left in enumerate((80, 290)):
        digit = np.asarray(Image.fromarray(np.uint8(images[k].reshape(28, 28) * 255)).resize((168, 168))) / 255
        rgb[60:228, left : left + 168] *= 1 - (digit[..., None] > 0.4) * (1 - np.array(BLUE))
    with pytest.raises(PhotoError) as refused:
        photo.read_photo(jpeg_of(rgb))
    assert refused.value.key == "photo.several_digits"


# ---------------------------------------------------------------------------
# The synthetic photo set
# ---------------------------------------------------------------------------

FLOOR_ACCURACY = (
    80  # % on the quick set with the document's network (measured 90; the goal, 97, is the drawing network's)
)


def test_the_synthetic_photo_set_is_read_above_a_floor(trained, test_data):
    images, labels = test_data
    n, right, read = 150, 0, 0
    for made in photoset.photos(images, labels.argmax(axis=1), n, seed=11, sizes=photoset.SMALL):
        try:
            x = photo.read_photo(made.data).input.reshape(1, -1)
        except PhotoError:
            continue
        read += 1
        right += int(trained.network.predict(x)[0] == made.label)
    assert read >= n - 3  # at most three photos without a digit found
    assert 100 * right / n >= FLOOR_ACCURACY


def test_the_photo_set_is_seeded():
    images = np.zeros((2, 28, 28))
    images[:, 4:24, 12:16] = 1.0  # a 1
    images = images.reshape(2, 784)
    first = [p.data for p in photoset.photos(images, np.array([1, 1]), 2, seed=5, sizes=photoset.SMALL)]
    again = [p.data for p in photoset.photos(images, np.array([1, 1]), 2, seed=5, sizes=photoset.SMALL)]
    assert first == again


# ---------------------------------------------------------------------------
# reseau predict --image, POST /api/photo
# ---------------------------------------------------------------------------


def a_photo(test_data, index: int = 0, seed: int = 3) -> photoset.Photo:
    images, labels = test_data
    return photoset.photo(images[index].reshape(28, 28), int(labels[index].argmax()), np.random.default_rng(seed))


def test_predict_image_answers_each_file_and_says_what_went_wrong(model_file, test_data, tmp_path, capsys):
    from reseau.cli import run

    made = a_photo(test_data)
    good, text = tmp_path / "sept.jpg", tmp_path / "notes.txt"
    good.write_bytes(made.data)
    text.write_text("pas une image")
    code = run(["predict", "--lang", "en", "--model", str(model_file), "--image", str(good), str(text), "absent.png"])
    printed = capsys.readouterr()
    expected = photo.read_photo(made.data).input  # what the network reads, computed here
    from reseau import modelfile

    digit = int(modelfile.load(model_file).network.forward(expected.reshape(-1)).argmax())
    assert f"sept.jpg: the neural network recognised the digit {digit}" in printed.out
    assert "notes.txt: This file is not a PNG / JPEG image" in printed.err
    assert "absent.png: The file absent.png does not exist." in printed.err
    assert code == 2 and "Traceback" not in printed.err


def test_post_photo_gives_each_steps_picture_and_the_answer(model_file, test_data, tmp_path):
    import base64
    import shutil

    import httpx

    from reseau import modelfile
    from reseau.web import create_app
    from reseau.web.server import BackgroundServer

    path = shutil.copy(model_file, tmp_path / "model.safetensors")
    made = a_photo(test_data)
    app = create_app(path, experiments_dir=tmp_path / "experiments")
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        body = {"image": "data:image/jpeg;base64," + base64.b64encode(made.data).decode()}
        answer = client.post("/api/photo", json=body)
        blank = client.post("/api/photo?lang=en", json={"image": base64.b64encode(jpeg_of(paper())).decode()})
        garbage = client.post("/api/photo?lang=en", json={"image": "!!not base 64!!"})
        too_big = client.post("/api/photo?lang=en", json={"image": "A" * 3_000_000})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    x = photo.read_photo(made.data).input.reshape(-1)
    assert data["digit"] == int(modelfile.load(model_file).network.forward(x).argmax())
    assert np.allclose(data["input"], x, atol=1e-4)
    assert data["stroke_normalised"] is modelfile.load(model_file).info.preprocessing.normalise_stroke
    assert set(data["steps"]) == {"photo", "grey", "flat", "ink", "digit", "input"}
    assert all(v.startswith("data:image/png;base64,") for v in data["steps"].values())
    assert blank.status_code == 422 and blank.json()["key"] == "photo.no_digit"
    assert blank.json()["detail"].startswith("No digit found in this photo")
    assert garbage.status_code == 422 and garbage.json()["key"] == "photo.not_image"
    assert too_big.status_code == 413  # the server's body limit, before any decoding
