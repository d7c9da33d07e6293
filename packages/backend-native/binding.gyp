{
  "variables": {
    "with_dnnl%": "<!(node scripts/has-dnnl.mjs)",
    "with_jpeg%": "<!(node scripts/has-jpeg.mjs)"
  },
  "targets": [
    {
      "target_name": "autodidact_native",
      "sources": [
        "native/addon.cc",
        "native/dnnl-conv.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS"
      ],
      "cflags_cc": [
        "-O3",
        "-march=x86-64-v2",
        "-fno-math-errno",
        "-fno-trapping-math",
        "-std=c++17"
      ],
      "cflags_cc!": [
        "-fno-exceptions"
      ],
      "libraries": [
        "-lopenblas"
      ],
      "conditions": [
        [
          "with_dnnl==1",
          {
            "defines": [
              "AUTODIDACT_HAVE_DNNL"
            ],
            "libraries": [
              "-ldnnl",
              "-lgomp"
            ]
          }
        ]
      ]
    }
  ],
  "conditions": [
    [
      "with_jpeg==1",
      {
        "targets": [
          {
            "target_name": "autodidact_jpeg",
            "sources": [
              "native/jpeg-cover.cc"
            ],
            "include_dirs": [
              "<!(node -p \"require('node-addon-api').include_dir\")"
            ],
            "defines": [
              "NAPI_VERSION=8",
              "NAPI_DISABLE_CPP_EXCEPTIONS"
            ],
            "cflags_cc": [
              "-O3",
              "-march=x86-64-v2",
              "-std=c++17"
            ],
            "libraries": [
              "-ljpeg"
            ]
          }
        ]
      }
    ]
  ]
}
