/* stub */ typedef int stub_cmd_serve;
