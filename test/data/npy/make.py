# Regenerates the reference .npy files of test/npy.test.ts with numpy (run once by hand;
# numpy is not a dependency of the project): files written by numpy itself, so the reader
# is checked against the format's own implementation.
import numpy as np
from numpy.lib import format as fmt

a = np.array([[1.5, -2.0, 3.25], [4.0, 5.5, -6.125]], dtype='<f8')
np.save('c_f8_2x3.npy', a)
np.save('f_f8_2x3.npy', np.asfortranarray(a))
np.save('c_f4_2x3.npy', a.astype('<f4'))
np.save('f_f4_2x3.npy', np.asfortranarray(a.astype('<f4')))
np.save('vec_f8_5.npy', np.array([0.1, 0.2, 0.3, 1e-300, -1e300]))
with open('v2_f8_2x3.npy', 'wb') as f:
    fmt.write_array(f, a, version=(2, 0))
np.save('be_f8_2x3.npy', a.astype('>f8'))
np.save('i8_2x3.npy', a.astype('<i8'))
np.save('f8_2x2x2.npy', np.zeros((2, 2, 2)))
np.save('scalar_f8.npy', np.float64(3.0))
np.save('empty_f8_0x3.npy', np.zeros((0, 3)))
