/**
 * Image transforms on one image (C, H, W), as torchvision's tensor transforms: {@link
 * kindling.data.transforms.Normalize}, {@link kindling.data.transforms.Resize} (bilinear),
 * {@link kindling.data.transforms.RandomCrop} and {@link kindling.data.transforms.RandomHorizontalFlip}.
 * Each works on a plain float[] with loops. They implement {@link kindling.data.Transform}.
 */
package kindling.data.transforms;
