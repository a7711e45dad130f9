"""Writes the Fashion-MNIST subset bundled with the examples: the first 600 training images of each
class (6,000) and the first 100 test images of each class (1,000), in the original order, as IDX .gz
files. Reads Debian's copy (apt-get install dataset-fashion-mnist). Plain Python, no dependencies:

    python3 tools/data/make_fashion_mnist_subset.py
"""
import gzip
import os
import struct

SOURCE = "/usr/share/datasets/fashion-mnist"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.path.join(ROOT, "examples", "src", "main", "resources", "kindling", "datasets", "fashion-mnist-subset")


def read(name):
    with gzip.open(os.path.join(SOURCE, name + ".gz"), "rb") as f:
        return f.read()


def subset(images_name, labels_name, per_class):
    images, labels = read(images_name), read(labels_name)
    magic, count, rows, cols = struct.unpack(">IIII", images[:16])
    assert magic == 2051 and struct.unpack(">II", labels[:8]) == (2049, count)
    size = rows * cols
    taken, chosen = [0] * 10, []
    for i in range(count):
        label = labels[8 + i]
        if taken[label] < per_class:
            taken[label] += 1
            chosen.append(i)
    pixels = b"".join(images[16 + i * size:16 + (i + 1) * size] for i in chosen)
    chosen_labels = bytes(labels[8 + i] for i in chosen)
    write(images_name, struct.pack(">IIII", 2051, len(chosen), rows, cols) + pixels)
    write(labels_name, struct.pack(">II", 2049, len(chosen)) + chosen_labels)
    print("%s: %d images, %d per class" % (images_name, len(chosen), per_class))


def write(name, data):
    # mtime=0 keeps the .gz bytes identical from run to run
    with open(os.path.join(TARGET, name + ".gz"), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(data)


os.makedirs(TARGET, exist_ok=True)
subset("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 600)
subset("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 100)
